import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { RefitResult } from '../activities/refit-trait';
import { parseDuration } from '../journeys/duration';
import type { PredictiveTrait } from '../traits/definitions';

/** The Temporal schedule that refits a predictive trait every `refitEvery` (one per trait). */
export const refitScheduleId = (key: string): string => `trait-refit-schedule:${key}`;
/** On-demand fits share one id: a refit asked for while one runs waits for that one. */
const refitWorkflowId = (key: string): string => `trait-refit:${key}`;
const WORKFLOW_TYPE = 'refitPredictiveTrait';

export async function createRefitSchedule(
  temporal: Client,
  taskQueue: string,
  trait: PredictiveTrait,
): Promise<void> {
  try {
    await temporal.schedule.create({
      scheduleId: refitScheduleId(trait.key),
      spec: { intervals: [{ every: parseDuration(trait.refitEvery) }] },
      action: {
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPE,
        args: [{ key: trait.key }],
        taskQueue,
        workflowId: refitWorkflowId(trait.key),
      },
      // A fit still running when the next is due makes the next one pointless.
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      memo: { trait: trait.key },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}

function fitOptions(taskQueue: string, key: string) {
  return {
    taskQueue,
    workflowId: refitWorkflowId(key),
    args: [{ key }] as [{ key: string }],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const,
  };
}

/** Starts a fit without waiting (the first fit, when the trait is defined). */
export async function startRefit(temporal: Client, taskQueue: string, key: string): Promise<void> {
  await temporal.workflow.start(WORKFLOW_TYPE, fitOptions(taskQueue, key));
}

/** Runs a fit and waits for its result (`POST /v1/traits/:key/refit`). */
export async function runRefit(temporal: Client, taskQueue: string, key: string): Promise<RefitResult> {
  const handle = await temporal.workflow.start(WORKFLOW_TYPE, fitOptions(taskQueue, key));
  return (await handle.result()) as RefitResult;
}
