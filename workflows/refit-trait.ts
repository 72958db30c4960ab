import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RefitResult } from '../activities/refit-trait';

// A fit reads the event history and rescores every active user: minutes on a large history.
const { fitPredictiveTrait } = proxyActivities<Activities>({
  startToCloseTimeout: '30m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumAttempts: 5 },
});

/**
 * Refits a predictive trait. Started by the trait's Temporal schedule and by
 * `POST /v1/traits/:key/refit`; a workflow (not a bare activity call) so each fit is visible and
 * retried in the Temporal UI like every other run.
 */
export async function refitPredictiveTrait(input: { key: string }): Promise<RefitResult> {
  return fitPredictiveTrait(input);
}
