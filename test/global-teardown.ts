import fs from 'node:fs';
import { STATE_KEY, type TestStackState } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>)[STATE_KEY] as TestStackState | undefined;
  if (state === undefined) return;
  await state.stack?.stop();
  fs.rmSync(state.tempDir, { recursive: true, force: true });
}
