import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { SojournConfig } from '../config/env';
import { createPool } from '../db/pool';
import { instanceLoader } from '../destinations/instances';
import { dataConverterFor } from '../security/data-converter';
import { installEgressGuard } from '../security/egress/guard';
import { secretBoxFor } from '../security/keys';
import { WORKFLOWS_PATH } from './bundle';
import { ensureRetentionSchedule } from './retention-schedule';

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

export type WorkerConfig = SojournConfig & { temporalAddress: string; databaseUrl: string };

export interface WorkerOptions {
  /** A prebuilt bundle (see `prepareWorkflowBundle`); else the workflows are bundled at start. */
  workflowBundlePath?: string;
  taskQueue?: string;
  /** Names this worker in histories (ActivityTaskStarted); default: Temporal's pid@host. */
  identity?: string;
}

/** Starts a worker and returns at once; `stop()` drains it (in-flight activities finish) and closes. */
export async function startWorker(config: WorkerConfig, options: WorkerOptions = {}): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const db = createPool(config.databaseUrl);
  const secretBox = secretBoxFor(config);
  // Activities that start workflows (list additions: signal-with-start) need a client of their own;
  // it must use the same data converter as the worker once payloads are encoded.
  const clientConnection = await Connection.connect({ address: config.temporalAddress });
  // One codec for worker and client: every payload is encrypted before it reaches Temporal (SPEC §6).
  const dataConverter = dataConverterFor(config);
  const temporal = new Client({
    connection: clientConnection,
    namespace: config.temporalNamespace,
    dataConverter,
  });
  // Destinations run here: every connection they open is checked against the allowed networks (SSRF).
  installEgressGuard(config.allowedNetworks);
  const bundlePath = options.workflowBundlePath ?? process.env.SOJOURN_WORKFLOW_BUNDLE;
  const taskQueue = options.taskQueue ?? config.taskQueue;
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue,
    ...(options.identity ? { identity: options.identity } : {}),
    dataConverter,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({
      db,
      secretBox,
      config,
      temporal,
      loadInstance: instanceLoader(db, secretBox, config.defaultRateLimit),
    }),
  });
  // Daily deletion of what SOJOURN_RETENTION_DAYS no longer keeps; a Temporal schedule, so it runs
  // once per queue however many workers start, and shows in the UI.
  if (config.retentionDays > 0) await ensureRetentionSchedule(temporal, taskQueue);
  const running = worker.run();
  let stopped: Promise<void> | undefined;
  return {
    worker,
    stop() {
      stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
        await connection.close();
        await clientConnection.close();
        await db.end();
      })();
      return stopped;
    },
  };
}
