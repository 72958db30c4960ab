import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Pool } from 'pg';
import { startApiServer, type RunningApi } from '../../api/server';
import { loadConfig, type SojournConfig } from '../../config/env';
import { dataConverterFor } from '../../security/data-converter';
import { startWorker, type RunningWorker } from '../../worker/run';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

export interface TestSojourn {
  url: string;
  config: SojournConfig & { temporalAddress: string; databaseUrl: string; apiKey: string; writeKey: string };
  temporal: Client;
  db: Pool;
  worker: Pick<RunningWorker, 'stop'>;
  /** A management call with the API key (unless `auth: false`); `raw` sends a body as is. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed JSON
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    opts?: { auth?: boolean; raw?: string },
  ): Promise<ApiResponse<T>>;
  /** A Tracking API call (`identify`, `track`, `batch`) with the write key as Basic user name. */
  ingest(kind: 'identify' | 'track' | 'batch', body: unknown): Promise<ApiResponse>;
  stop(): Promise<void>;
}

/**
 * The whole Sojourn process set (API + worker) against the test stack from global setup, on a task
 * queue of its own so test files never pick up each other's runs.
 */
let runtimeInstalled = false;

/** Expected activity failures (retry tests) would flood the output at the SDK's default level. */
function quietWorkerLogs(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // already installed in this process
  }
}

export async function startSojourn(
  overrides: Partial<SojournConfig> = {},
  options: { worker?: boolean } = {},
): Promise<TestSojourn> {
  const base = loadConfig(process.env);
  // A test may bring its own servers (fault tests restart them); else the global setup's.
  const temporalAddress = overrides.temporalAddress ?? process.env.TEMPORAL_ADDRESS;
  const databaseUrl = overrides.databaseUrl ?? process.env.DATABASE_URL;
  if (!temporalAddress || !databaseUrl)
    throw new Error('TEMPORAL_ADDRESS / DATABASE_URL unset: run through jest global setup');
  const config = {
    ...base,
    port: 0,
    taskQueue: `test-${randomBytes(4).toString('hex')}`,
    deliveryInitialBackoffMs: 200,
    deliveryMaxBackoffMs: 2_000,
    // No retention schedule per test task queue; test/e2e/retention.test.ts turns it on.
    retentionDays: 0,
    ...overrides,
    temporalAddress,
    databaseUrl,
    apiKey: base.apiKey ?? 'test-api-key',
    writeKey: base.writeKey ?? 'test-write-key',
  };
  quietWorkerLogs();
  // Without a worker here, a test runs its own (e.g. in a child process it can kill).
  const worker = options.worker === false ? { stop: async () => undefined } : await startWorker(config);
  const api: RunningApi = await startApiServer(config);
  const connection = await Connection.connect({ address: temporalAddress });
  // The same codec as the API and worker, so tests read results and histories decoded.
  const temporal = new Client({
    connection,
    namespace: config.temporalNamespace,
    dataConverter: dataConverterFor(config),
  });
  const db = new Pool({ connectionString: databaseUrl, max: 2 });
  db.on('error', () => undefined); // idle clients lose their connection when a fault test restarts PostgreSQL
  return {
    url: api.url,
    config,
    temporal,
    db,
    worker,
    async call(method, path, body, opts = {}) {
      const headers: Record<string, string> = {};
      if (opts.auth !== false) headers.authorization = `Bearer ${config.apiKey}`;
      if (body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers,
        body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async ingest(kind, body) {
      const res = await fetch(`${api.url}/v1/${kind}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${config.writeKey}:`).toString('base64')}`,
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await api.stop();
      await worker.stop();
      await connection.close();
      await db.end();
    },
  };
}
