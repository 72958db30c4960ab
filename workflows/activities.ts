import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RetrySettings } from './types';

const readOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
} as const;

/**
 * Ordinary activities, not local ones: a local activity's result is stored in its history marker
 * without the payload codec (seen in a raw history: json/plain), and every payload of a run must be
 * encrypted (test/security/pii-history.test.ts).
 */
export const { loadJourneyPlan, enrichTraits, resolveIdentifiers, getTraits } = proxyActivities<Activities>(readOptions);

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
