import type { Client } from '@temporalio/client';
import type { SojournConfig } from '../config/env';
import type { Db } from '../db/pool';
import type { SecretBox } from '../security/secret-box';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  config: SojournConfig;
  secretBox: SecretBox;
  apiKey: string;
  writeKey: string;
}
