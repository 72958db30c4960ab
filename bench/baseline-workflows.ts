import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30s' });

/** The baseline Sojourn is compared with: a bare workflow that runs one no-op activity. */
export async function baselineWorkflow(): Promise<void> {
  await noop();
}
