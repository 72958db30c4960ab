import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/env';
import { killStackProcessesSync, startStack, type Stack } from '../scripts/stack';

/** Handed to global-teardown, which Jest runs in this same process. */
export interface TestStackState {
  stack?: Stack;
  tempDir: string;
}
export const STATE_KEY = '__sojournTestStack';

/** Jest's default Ctrl-C / kill handling exits without teardown; take the servers down first. */
function reapOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killStackProcessesSync();
      process.kill(process.pid, signal); // re-raise: our once-listener is gone, so the default applies
    });
  }
}

const TEMP_PREFIX = 'sojourn-test-';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs killed before teardown (Ctrl-C, CI timeouts) leave temp dirs behind; sweep those whose Jest is gone. */
function sweepStaleTempDirs(): void {
  for (const name of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(TEMP_PREFIX))) {
    const dir = path.join(os.tmpdir(), name);
    const pidIn = (file: string) => Number(fs.readFileSync(path.join(dir, file), 'utf8').split('\n')[0]);
    try {
      if (fs.existsSync(path.join(dir, 'owner.pid'))) {
        if (isAlive(pidIn('owner.pid'))) continue;
      } else if (Date.now() - fs.statSync(dir).mtimeMs < 10 * 60_000) {
        continue; // maybe a run that is just starting
      }
      if (fs.existsSync(path.join(dir, 'pg', 'postmaster.pid')) && isAlive(pidIn('pg/postmaster.pid')))
        continue;
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort: never fail a test run over another run's leftovers
    }
  }
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const toolsDataDir = loadConfig().dataDir; // the project's .data, where the Temporal CLI lives
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
  fs.chmodSync(tempDir, 0o755); // mkdtemp makes it 0700, but PostgreSQL runs as "postgres" under root
  fs.writeFileSync(path.join(tempDir, 'owner.pid'), `${process.pid}\n`);
  sweepStaleTempDirs();
  const state: TestStackState = { tempDir };
  (globalThis as Record<string, unknown>)[STATE_KEY] = state;
  reapOnSignals();

  let stackMs = 0;
  let bundleMs = 0;
  try {
    state.stack = await startStack({
      dataDir: tempDir,
      ephemeral: true,
      toolsDataDir,
      temporalAddress: process.env.TEMPORAL_ADDRESS || undefined,
      databaseUrl: process.env.DATABASE_URL || undefined,
      namespace: process.env.TEMPORAL_NAMESPACE || undefined,
    });
    stackMs = Date.now() - started;
    Object.assign(process.env, {
      TEMPORAL_ADDRESS: state.stack.temporalAddress,
      DATABASE_URL: state.stack.databaseUrl,
      SOJOURN_API_KEY: 'test-api-key',
      SOJOURN_WRITE_KEY: 'test-write-key',
      SOJOURN_DATA_DIR: tempDir,
    });

    // worker/bundle.ts bundles the workflow code once for all test files (it may not exist yet).
    const bundleModule = path.join(__dirname, '..', 'worker', 'bundle.ts');
    if (fs.existsSync(bundleModule)) {
      const t0 = Date.now();
      const mod = (await import(bundleModule)) as {
        prepareWorkflowBundle?: (outDir?: string) => Promise<string>;
      };
      if (typeof mod.prepareWorkflowBundle !== 'function')
        throw new Error(`${bundleModule} has no prepareWorkflowBundle()`);
      process.env.SOJOURN_WORKFLOW_BUNDLE = await mod.prepareWorkflowBundle(tempDir); // removed with tempDir
      bundleMs = Date.now() - t0;
    }
  } catch (err) {
    // Jest runs no teardown when setup fails; errors already carry the servers' log tails.
    await state.stack?.stop();
    fs.rmSync(tempDir, { recursive: true, force: true });
    throw err;
  }
  console.log(
    `\n[global-setup] stack ready in ${stackMs} ms${bundleMs ? `, workflow bundle in ${bundleMs} ms` : ''}`,
  );
}
