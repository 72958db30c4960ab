import type { Client } from '@temporalio/client';
import type { SojournConfig } from '../config/env';
import type { Db } from '../db/pool';
import type { DestinationInstance } from '../destinations/run-event';
import type { SecretBox } from '../security/secret-box';

/** What activities share within one worker process. */
export interface ActivityDeps {
  db: Db;
  secretBox: SecretBox;
  config: SojournConfig;
  /** For activities that signal or start workflows (list additions). */
  temporal: Client;
  loadInstance(id: string): Promise<DestinationInstance | undefined>;
}
