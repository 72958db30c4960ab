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

/** PostgreSQL in a child process (see pg-process.ts); resolves once it accepts connections. */
export async function spawnPostgres(dataDir: string, port: number): Promise<{ databaseUrl: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'pg-process.ts'), dataDir, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const databaseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`PostgreSQL process exited with ${code}`)));
  });
  return {
    databaseUrl,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
