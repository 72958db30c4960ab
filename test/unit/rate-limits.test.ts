import type { JSONObject } from '@segment/actions-core';
import { loadDefinition } from '../../destinations/definitions';
import { listBatchSize, MAX_LIST_BATCH_SIZE } from '../../destinations/list-settings';
import {
  effectiveRateLimit,
  RATE_HEADROOM,
  spacingMs,
  VENDOR_RATE_LIMITS,
} from '../../destinations/rate-limits';
import type { DestinationInstance } from '../../destinations/run-event';

describe('effectiveRateLimit', () => {
  it("uses the instance's own limit first, 0 meaning unlimited", () => {
    expect(effectiveRateLimit('braze', 7, 50)).toEqual({ requestsPerSecond: 7, source: 'instance' });
    expect(effectiveRateLimit('braze', 0, 50)).toEqual({ requestsPerSecond: 0, source: 'instance' });
  });
  it("falls back to Segment's published vendor limit, then the operator default", () => {
    expect(effectiveRateLimit('braze', null, 50)).toEqual({ requestsPerSecond: 100, source: 'vendor' });
    expect(effectiveRateLimit('marketo-static-lists', undefined, 50)).toEqual({
      requestsPerSecond: 5,
      source: 'vendor',
    });
    expect(effectiveRateLimit('webhook', null, 50)).toEqual({ requestsPerSecond: 50, source: 'default' });
  });
  it('names only slugs that exist in the catalog', () => {
    for (const slug of Object.keys(VENDOR_RATE_LIMITS)) expect(loadDefinition(slug)).not.toBeNull();
  });
  it('spaces requests a little wider than 1/limit', () => {
    expect(spacingMs(5)).toBeCloseTo(200 * RATE_HEADROOM);
    expect(5 * spacingMs(5)).toBeGreaterThan(1_000);
  });
});

describe('listBatchSize', () => {
  const instance = (slug: string, mapping?: JSONObject): DestinationInstance => {
    const definition = loadDefinition(slug);
    if (!definition) throw new Error(slug);
    return {
      id: 'dst_1',
      slug,
      definition,
      settings: {},
      subscriptions: mapping
        ? [{ subscribe: 'type = "track"', partnerAction: Object.keys(definition.actions)[0] ?? '', mapping }]
        : null,
    };
  };
  it("takes the mapping's batch_size, the action's default, else the fallback", () => {
    expect(listBatchSize(instance('webhook-audiences', { batch_size: 700 }), 1000)).toBe(700);
    expect(listBatchSize(instance('webhook-audiences'), 1000)).toBe(1000); // its default is 0: unset
    expect(listBatchSize(instance('sendgrid-audiences'), 1000)).toBe(100);
  });
  it('never exceeds what one activity payload can carry', () => {
    expect(listBatchSize(instance('webhook-audiences', { batch_size: 50_000 }), 1000)).toBe(
      MAX_LIST_BATCH_SIZE,
    );
  });
});
