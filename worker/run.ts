import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { SojournConfig } from '../config/env';
import { createPool } from '../db/pool';
import { instanceLoader } from '../destinations/instances';
import { secretBoxFor } from '../security/keys';
import { WORKFLOWS_PATH } from './bundle';

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

export type WorkerConfig = SojournConfig & { temporalAddress: string; databaseUrl: string };

export interface WorkerOptions {
  /** A prebuilt bundle (see `prepareWorkflowBundle`); else the workflows are bundled at start. */
  workflowBundlePath?: string;
  taskQueue?: string;
}

/** Starts a worker and returns at once; `stop()` drains it (in-flight activities finish) and closes. */
export async function startWorker(config: WorkerConfig, options: WorkerOptions = {}): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const db = createPool(config.databaseUrl);
  const secretBox = secretBoxFor(config);
  const bundlePath = options.workflowBundlePath ?? process.env.SOJOURN_WORKFLOW_BUNDLE;
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: options.taskQueue ?? config.taskQueue,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ db, secretBox, config, loadInstance: instanceLoader(db, secretBox) }),
  });
  const running = worker.run();
  let stopped: Promise<void> | undefined;
  return {
    worker,
    stop() {
      stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
        await connection.close();
        await db.end();
      })();
      return stopped;
    },
  };
}
