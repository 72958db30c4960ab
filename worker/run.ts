// placeholder: replaced by the real worker bootstrap
import type { SojournConfig } from '../config/env';
export interface RunningWorker { stop(): Promise<void> }
export async function startWorker(_config: SojournConfig & { temporalAddress: string; databaseUrl: string }): Promise<RunningWorker> {
  return { stop: async () => {} };
}
