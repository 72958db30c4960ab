import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startApiServer, type RunningApi } from '../api/server';
import { loadConfig } from '../config/env';
import { startStack, type Stack } from '../scripts/stack';
import { startReceiver, type Receiver } from '../test/helpers/receiver';
import { prepareWorkflowBundle } from '../worker/bundle';

export interface Bench {
  stack: Stack;
  api: RunningApi;
  receiver: Receiver;
  temporal: Client;
  env: Record<string, string>;
  worker: ChildProcess;
  call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- loosely typed JSON replies
  stop(): Promise<void>;
}

export function rssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return Math.round(kb / 1024);
}

/** The Temporal dev server's pid, found by the port it serves. */
export function temporalServerPid(address: string): number | undefined {
  const port = address.split(':').pop();
  const out = execFileSync('pgrep', ['-f', `start-dev.*--port ${port}`], { encoding: 'utf8' }).trim();
  return Number(out.split('\n')[0]) || undefined;
}

/** A real stack on loopback: Temporal + PostgreSQL, the API in this process, the worker in a child. */
export async function startBench(): Promise<Bench> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sojourn-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const stack = await startStack({ dataDir, ephemeral: true, toolsDataDir: path.resolve('.data') });
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: stack.temporalAddress,
    DATABASE_URL: stack.databaseUrl,
    SOJOURN_DATA_DIR: dataDir,
    SOJOURN_API_KEY: 'bench-api-key',
    SOJOURN_WRITE_KEY: 'bench-write-key',
    SOJOURN_TASK_QUEUE: 'bench',
    SOJOURN_WORKFLOW_BUNDLE: await prepareWorkflowBundle(dataDir),
  };
  Object.assign(process.env, env);
  const worker = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, '..', 'worker', 'main.ts')],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const config = {
    ...loadConfig(),
    port: 0,
    temporalAddress: stack.temporalAddress,
    databaseUrl: stack.databaseUrl,
    apiKey: env.SOJOURN_API_KEY as string,
    writeKey: env.SOJOURN_WRITE_KEY as string,
  };
  const api = await startApiServer(config);
  const receiver = await startReceiver();
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const temporal = new Client({ connection });
  return {
    stack,
    api,
    receiver,
    temporal,
    env,
    worker,
    async call(method, urlPath, body) {
      const res = await fetch(`${api.url}${urlPath}`, {
        method,
        headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    async stop() {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
      await api.stop();
      await receiver.close();
      await connection.close();
      await stack.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
