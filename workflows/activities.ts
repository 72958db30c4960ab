import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RetrySettings } from './types';

/** Reads that should answer in seconds; retried briefly (PostgreSQL restarts, etc.). */
const reads = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

export const { loadJourneyPlan, enrichTraits, resolveIdentifiers, getTraits } = reads;

/**
 * Deliveries retry for the configured window (SPEC §5: 4 h). The activity sets `nextRetryDelay` itself
 * (jittered backoff, or the destination's Retry-After), so these intervals are only the fallback.
 */
export function deliveryActivities(retry: RetrySettings): Pick<Activities, 'deliverEvent'> {
  return proxyActivities<Activities>({
    startToCloseTimeout: retry.attemptTimeoutMs,
    scheduleToCloseTimeout: retry.windowMs,
    retry: {
      initialInterval: retry.initialBackoffMs,
      backoffCoefficient: 2,
      maximumInterval: retry.maxBackoffMs,
      nonRetryableErrorTypes: ['DeliveryFailed'],
    },
  });
}
