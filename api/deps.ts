import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { SojournConfig } from '../config/env';
import type { Db } from '../db/pool';
import type { KeyStore } from '../security/api-keys';
import type { SecretBox } from '../security/secret-box';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  config: SojournConfig;
  secretBox: SecretBox;
  apiKey: string;
  writeKey: string;
  /** Stored API / write keys; created from `db` when absent. */
  keys?: KeyStore;
  /** The Temporal payload codec, served at `/codec` for the Web UI (absent: no codec endpoint). */
  codec?: PayloadCodec;
  /** Token in the codec endpoint path the Web UI is configured with (`/codec/t/<token>`). */
  codecToken?: string;
}
