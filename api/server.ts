// placeholder: replaced by the real API server
import type { SojournConfig } from '../config/env';
export interface RunningApi { url: string; stop(): Promise<void> }
export async function startApiServer(config: SojournConfig & { temporalAddress: string; databaseUrl: string; apiKey: string; writeKey: string }): Promise<RunningApi> {
  return { url: `http://127.0.0.1:${config.port}`, stop: async () => {} };
}
