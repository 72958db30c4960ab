import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { pruneOldRecords } = proxyActivities<Pick<Activities, 'pruneOldRecords'>>({
  startToCloseTimeout: '1h',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '1m', backoffCoefficient: 2, maximumAttempts: 5 },
});

/**
 * Started daily by the retention schedule (worker/retention-schedule.ts): a workflow, so each prune
 * and what it deleted shows in the Temporal UI like every other run.
 */
export async function pruneOldRecordsWorkflow(): Promise<Awaited<ReturnType<Activities['pruneOldRecords']>>> {
  return pruneOldRecords();
}
