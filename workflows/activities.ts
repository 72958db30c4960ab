import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RetrySettings } from './types';

const readTimeouts = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
} as const;

/**
 * Reads (the plan, traits, identifiers) run as local activities: in the worker, inside the workflow
 * task, with no task-queue round trip through the Temporal server, which on a small machine is the
 * bottleneck (bench/README.md). Their results are still encrypted by the payload codec; only the
 * marker's own bookkeeping (sequence, activity type, times) is stored in clear.
 */
const localReads = proxyLocalActivities<Activities>(readTimeouts);
/** Runs recorded before the reads were local keep replaying with the ordinary activities they used. */
const ordinaryReads = proxyActivities<Activities>(readTimeouts);
export const LOCAL_READS_PATCH = 'reads-as-local-activities';

function reads(): Pick<Activities, 'loadJourneyPlan' | 'enrichTraits' | 'resolveIdentifiers' | 'getTraits'> {
  return patched(LOCAL_READS_PATCH) ? localReads : ordinaryReads;
}

export const loadJourneyPlan: Activities['loadJourneyPlan'] = (input) => reads().loadJourneyPlan(input);
export const enrichTraits: Activities['enrichTraits'] = (input) => reads().enrichTraits(input);
export const resolveIdentifiers: Activities['resolveIdentifiers'] = (input) =>
  reads().resolveIdentifiers(input);
export const getTraits: Activities['getTraits'] = (input) => reads().getTraits(input);

/**
 * Deliveries, and list members' enqueueing, retry for the configured window (SPEC §5: 4 h): an
 * outage delays them, never drops them. The delivery activity sets `nextRetryDelay` itself
 * (jittered backoff, or the destination's Retry-After), so these intervals are only the fallback.
 */
export function deliveryRetry(retry: RetrySettings) {
  return {
    scheduleToCloseTimeout: retry.windowMs,
    retry: {
      initialInterval: retry.initialBackoffMs,
      backoffCoefficient: 2,
      maximumInterval: retry.maxBackoffMs,
      nonRetryableErrorTypes: ['DeliveryFailed'],
    },
  };
}

export function deliveryActivities(retry: RetrySettings): Pick<Activities, 'deliverEvent'> {
  return proxyActivities<Activities>({
    startToCloseTimeout: retry.attemptTimeoutMs,
    ...deliveryRetry(retry),
  });
}
