import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

/** One schedule per task queue: the workers of that queue run its prunes. */
export const retentionScheduleId = (taskQueue: string): string => `sojourn-retention:${taskQueue}`;

/** Creates the daily prune schedule unless it exists (every worker calls this at start). */
export async function ensureRetentionSchedule(temporal: Client, taskQueue: string): Promise<void> {
  try {
    await temporal.schedule.create({
      scheduleId: retentionScheduleId(taskQueue),
      spec: { intervals: [{ every: '1d' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'pruneOldRecordsWorkflow',
        args: [],
        taskQueue,
        workflowId: `sojourn-retention-run:${taskQueue}`,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
