import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RetrySettings } from './types';

const readOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
} as const;

/**
 * Reads that carry user data (traits, identifiers) are ordinary activities: their results go through
 * the payload codec. A local activity's result is stored in its history marker without the codec,
 * so it must never carry personal data.
 */
const reads = proxyActivities<Activities>(readOptions);
export const { enrichTraits, resolveIdentifiers, getTraits } = reads;

/**
 * The journey plan holds no personal data, so it is read by a local activity: in the worker that
 * runs the workflow, without a task-queue round trip, recorded as a marker.
 */
export const { loadJourneyPlan } = proxyLocalActivities<Activities>({ ...readOptions, localRetryThreshold: '10s' });

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
