import type { SegmentEvent, Subscription } from '@segment/actions-core';
import { parseFql, validate } from '@segment/destination-subscriptions';
import type { LoadedDefinition } from './definitions';

/** Segment's preset for journey step events, offered by list destinations and some event ones. */
const JOURNEY_STEP_PRESET = 'journeys_step_entered_track';

const SAMPLE_JOURNEY_TRACK = { type: 'track', event: 'Audience Entered', properties: {} } as unknown as SegmentEvent;

/** Whether an FQL `subscribe` expression takes the event; an expression that does not parse takes nothing. */
export function subscriptionMatches(subscribe: string, event: SegmentEvent): boolean {
  const parsed = parseFql(subscribe);
  return !('error' in parsed && parsed.error) && validate(parsed, event);
}

/**
 * The subscriptions an instance runs: its own when it has them, else the definition's presets. The
 * journey-step preset (when there is one) takes journey track events, replacing any automatic preset
 * that would also take them, so no event is delivered twice by presets.
 */
export function effectiveSubscriptions(
  definition: LoadedDefinition,
  own: Subscription[] | null | undefined,
): Subscription[] {
  if (own && own.length > 0) return own;
  const presets = definition.presets ?? [];
  const journeyPreset = presets.find(
    (p) => p.type === 'specificEvent' && (p as { eventSlug?: string }).eventSlug === JOURNEY_STEP_PRESET,
  );
  const automatic: Subscription[] = presets
    .filter((p): p is Extract<typeof p, { type: 'automatic' }> => p.type === 'automatic')
    .map((p) => ({ name: p.name, partnerAction: p.partnerAction, subscribe: p.subscribe, mapping: p.mapping }));
  if (!journeyPreset) return automatic;
  return [
    {
      name: journeyPreset.name,
      partnerAction: journeyPreset.partnerAction,
      subscribe: 'type = "track"',
      mapping: journeyPreset.mapping,
    },
    ...automatic.filter((s) => !subscriptionMatches(s.subscribe, SAMPLE_JOURNEY_TRACK)),
  ];
}
