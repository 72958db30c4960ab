import type { SegmentEvent, Subscription } from '@segment/actions-core';
import { loadDefinition, type LoadedDefinition } from '../../destinations/definitions';
import { effectiveSubscriptions, subscriptionMatches } from '../../destinations/subscriptions';
import { buildEngageEvent } from '../../destinations/engage-event';

function definition(slug: string): LoadedDefinition {
  const loaded = loadDefinition(slug);
  if (!loaded) throw new Error(`definition ${slug} did not load`);
  return loaded;
}

function journeyEvent(call: 'track' | 'identify'): SegmentEvent {
  return buildEngageEvent({
    call,
    stepKey: 'j_o_first_purchase__opened_email_dje83h',
    journeyId: 'jrn_1',
    stepId: 'send',
    spaceId: 'spa_default',
    userId: 'u_123',
    identifier: { type: 'user_id', value: 'u_123' },
    traits: {},
    messageId: 'sj-1',
    timestamp: '2024-05-01T12:00:00.000Z',
  });
}

const event = (fields: Record<string, unknown>): SegmentEvent => fields as unknown as SegmentEvent;

describe('subscriptionMatches', () => {
  it('applies FQL to the event', () => {
    expect(subscriptionMatches('type = "track"', journeyEvent('track'))).toBe(true);
    expect(subscriptionMatches('type = "track"', journeyEvent('identify'))).toBe(false);
    expect(subscriptionMatches('type = "identify"', journeyEvent('identify'))).toBe(true);
    expect(subscriptionMatches('event = "Audience Entered"', journeyEvent('track'))).toBe(true);
    expect(subscriptionMatches('type = "track" and event != "Audience Entered"', journeyEvent('track'))).toBe(
      false,
    );
    expect(subscriptionMatches('type = "track" or type = "identify"', event({ type: 'identify' }))).toBe(
      true,
    );
  });

  it('takes nothing when the expression does not parse', () => {
    expect(subscriptionMatches('type ==== "track', journeyEvent('track'))).toBe(false);
    expect(subscriptionMatches('', journeyEvent('track'))).toBe(false);
  });
});

describe('effectiveSubscriptions', () => {
  const own: Subscription[] = [
    {
      name: 'Mine',
      partnerAction: 'send',
      subscribe: 'type = "identify"',
      mapping: { url: 'https://example.test/hook' },
    },
  ];

  it("uses the instance's own subscriptions when it has them", () => {
    expect(effectiveSubscriptions(definition('webhook-audiences'), own)).toBe(own);
    expect(effectiveSubscriptions(definition('braze'), own)).toBe(own);
    expect(effectiveSubscriptions(definition('webhook'), own)).toBe(own);
  });

  it('falls back to presets when the own list is empty or missing', () => {
    const fallback = effectiveSubscriptions(definition('webhook-audiences'), null);
    expect(effectiveSubscriptions(definition('webhook-audiences'), [])).toEqual(fallback);
    expect(effectiveSubscriptions(definition('webhook-audiences'), undefined)).toEqual(fallback);
  });

  it('webhook-audiences: the journeys-step preset, taking track events, and nothing else', () => {
    const def = definition('webhook-audiences');
    const preset = (def.presets ?? []).find(
      (p) =>
        p.type === 'specificEvent' &&
        (p as { eventSlug?: string }).eventSlug === 'journeys_step_entered_track',
    );
    expect(preset).toBeDefined();
    const subscriptions = effectiveSubscriptions(def, null);
    expect(subscriptions).toEqual([
      { name: preset?.name, partnerAction: 'send', subscribe: 'type = "track"', mapping: preset?.mapping },
    ]);
    expect(subscriptions[0]?.mapping).toEqual(expect.objectContaining({ data: expect.anything() }));
    expect(subscriptionMatches(subscriptions[0]?.subscribe ?? '', journeyEvent('track'))).toBe(true);
  });

  it('braze: the journey preset replaces the automatic track preset; identify and other presets stay', () => {
    const def = definition('braze');
    const subscriptions = effectiveSubscriptions(def, null);
    const track = journeyEvent('track');
    const identify = journeyEvent('identify');

    expect(subscriptions[0]).toMatchObject({ partnerAction: 'trackEvent', subscribe: 'type = "track"' });
    // Exactly one subscription takes a journey track event, so presets never deliver it twice.
    expect(subscriptions.filter((s) => subscriptionMatches(s.subscribe, track))).toHaveLength(1);
    // The automatic "Track Calls" preset is gone, the identify preset is there.
    const automatic = (def.presets ?? []).filter((p) => p.type === 'automatic');
    const trackCalls = automatic.find((p) => 'subscribe' in p && subscriptionMatches(p.subscribe, track));
    expect(trackCalls).toBeDefined();
    expect(subscriptions.map((s) => s.name)).not.toContain(trackCalls?.name);
    const identifyTakers = subscriptions.filter((s) => subscriptionMatches(s.subscribe, identify));
    expect(identifyTakers).toEqual([
      expect.objectContaining({ partnerAction: 'updateUserProfile', subscribe: 'type = "identify"' }),
    ]);
    // Every other automatic preset is kept as it is.
    expect(subscriptions).toHaveLength(1 + automatic.length - 1);
    // No warehouse/entity (specificEvent) preset sneaks in.
    const specificNames = (def.presets ?? []).filter((p) => p.type === 'specificEvent').map((p) => p.name);
    expect(
      subscriptions
        .slice(1)
        .map((s) => s.name)
        .filter((n) => specificNames.includes(n)),
    ).toEqual([]);
  });

  it('webhook: no presets, so no subscriptions', () => {
    expect(effectiveSubscriptions(definition('webhook'), null)).toEqual([]);
  });
});
