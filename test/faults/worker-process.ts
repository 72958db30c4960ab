import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * A worker in a child process (the production entry, worker/main.ts), so a test can kill -9 it.
 * It shares the test process's data dir, hence the same secret and codec keys as the API.
 */
export function spawnWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'worker', 'main.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

export function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}
