import type { SegmentEvent } from '@segment/actions-core';
import type { DestinationInstance } from './run-event';
import { effectiveSubscriptions, subscriptionMatches } from './subscriptions';

const JOURNEY_TRACK = { type: 'track', event: 'Audience Entered', properties: {} } as unknown as SegmentEvent;

interface BatchSizeField {
  default?: unknown;
  maximum?: unknown;
}

/**
 * Upper bound whatever the definition allows (some declare hundreds of thousands): one batch is one
 * request, held in a worker's memory with every member's event.
 */
export const MAX_LIST_BATCH_SIZE = 10_000;

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

/**
 * Members per batch at a list destination: the subscription mapping's `batch_size` (the runtime's own
 * knob, so operators configure it where Segment users do), else the action's default, else
 * `fallback`; never above the action's declared maximum nor MAX_LIST_BATCH_SIZE. With several actions, the smallest wins.
 */
export function listBatchSize(instance: DestinationInstance, fallback: number): number {
  const sizes: number[] = [];
  for (const subscription of effectiveSubscriptions(instance.definition, instance.subscriptions)) {
    if (!subscriptionMatches(subscription.subscribe, JOURNEY_TRACK)) continue;
    const field = instance.definition.actions[subscription.partnerAction]?.fields?.batch_size as
      BatchSizeField | undefined;
    const wanted = positive(subscription.mapping?.batch_size) ?? positive(field?.default) ?? fallback;
    const maximum = positive(field?.maximum);
    sizes.push(maximum !== undefined ? Math.min(wanted, maximum) : wanted);
  }
  return Math.max(1, Math.min(MAX_LIST_BATCH_SIZE, sizes.length > 0 ? Math.min(...sizes) : fallback));
}
