import {
  bucketSizeMs,
  contributionOf,
  merge,
  valueOf,
  windowStart,
  type Aggregate,
  type CallFacts,
} from '../../traits/computed';
import { ComputedSpecSchema, type ComputedSpec } from '../../traits/definitions';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);

const spec = (raw: unknown): ComputedSpec => ComputedSpecSchema.parse(raw);
const track = (event: string, properties: Record<string, unknown>, at = NOW): CallFacts => ({
  type: 'track',
  event,
  properties,
  timestamp: new Date(at),
});

/** Folds calls the way the database does: contribution by contribution, per bucket, then read. */
function fold(s: ComputedSpec, calls: CallFacts[], now = NOW): unknown {
  const since = s.window ? windowStart(now, Number(/^(\d+)d$/.exec(s.window)?.[1] ?? 0) * DAY) : -Infinity;
  let total: Aggregate = { count: 0, sum: 0 };
  for (const call of calls) {
    const c = contributionOf(s, call, now);
    if (c && (c.bucket === null || c.bucket.getTime() >= since)) total = merge(total, c);
  }
  return valueOf(s, total);
}

test('count of an event in a window counts only that event inside the window', () => {
  const s = spec({ kind: 'count', event: 'Order Completed', window: '30d' });
  const calls = [
    track('Order Completed', {}, NOW - 1 * DAY),
    track('Order Completed', {}, NOW - 29 * DAY),
    track('Order Completed', {}, NOW - 31 * DAY),
    track('Page Viewed', {}, NOW),
  ];
  expect(fold(s, calls)).toBe(2);
});

test('a windowed contribution lands in a day bucket (an hour bucket for short windows) and expired ones are dropped', () => {
  const day = contributionOf(
    spec({ kind: 'count', event: 'A', window: '30d' }),
    track('A', {}, NOW - 5 * HOUR),
    NOW,
  );
  expect(day?.bucket?.getTime()).toBe(Date.UTC(2025, 5, 15));
  const hour = contributionOf(
    spec({ kind: 'count', event: 'A', window: '1d' }),
    track('A', {}, NOW - 90 * 60 * 1000),
    NOW,
  );
  expect(hour?.bucket?.getTime()).toBe(NOW - 2 * HOUR);
  expect(bucketSizeMs(DAY)).toBe(HOUR);
  expect(
    contributionOf(spec({ kind: 'count', event: 'A', window: '7d' }), track('A', {}, NOW - 8 * DAY), NOW),
  ).toBeUndefined();
});

test('a 30d window spans today and the 29 days before it', () => {
  expect(windowStart(NOW, 30 * DAY)).toBe(Date.UTC(2025, 4, 17));
});

test('sum and average use numeric values only (numeric strings count, other values are skipped)', () => {
  const calls = [
    track('Order Completed', { total: 10 }),
    track('Order Completed', { total: '30' }),
    track('Order Completed', { total: 'n/a' }),
    track('Order Completed', {}),
  ];
  expect(fold(spec({ kind: 'sum', event: 'Order Completed', property: 'properties.total' }), calls)).toBe(40);
  expect(fold(spec({ kind: 'average', event: 'Order Completed', property: 'properties.total' }), calls)).toBe(
    20,
  );
});

test('first and last follow event time, not arrival order', () => {
  const s = { kind: 'first', event: 'Plan Changed', property: 'properties.plan' } as const;
  const calls = [
    track('Plan Changed', { plan: 'pro' }, NOW - DAY),
    track('Plan Changed', { plan: 'free' }, NOW - 3 * DAY),
    track('Plan Changed', { plan: 'team' }, NOW - 2 * DAY),
  ];
  expect(fold(spec(s), calls)).toBe('free');
  expect(fold(spec({ ...s, kind: 'last' }), calls)).toBe('pro');
});

test('first / last without an event name follow identify traits too', () => {
  const s = spec({ kind: 'last', property: 'traits.plan' });
  const identify = (plan: string, at: number): CallFacts => ({
    type: 'identify',
    traits: { plan },
    timestamp: new Date(at),
  });
  expect(fold(s, [identify('free', NOW - DAY), identify('pro', NOW)])).toBe('pro');
});

test('a user without matching events: count 0, the others absent (never null)', () => {
  expect(fold(spec({ kind: 'count', event: 'X' }), [])).toBe(0);
  for (const kind of ['sum', 'average', 'first', 'last'] as const) {
    expect(fold(spec({ kind, event: 'X', property: 'properties.v' }), [])).toBeUndefined();
  }
});

test('merging is order-independent (what lets backfill and live updates interleave)', () => {
  const s = spec({ kind: 'last', event: 'E', property: 'properties.v' });
  const cs = [1, 5, 3, 2, 4].map((d) => contributionOf(s, track('E', { v: d }, NOW - d * HOUR), NOW));
  const forward = cs.reduce<Aggregate>((a, c) => (c ? merge(a, c) : a), { count: 0, sum: 0 });
  const backward = [...cs].reverse().reduce<Aggregate>((a, c) => (c ? merge(a, c) : a), { count: 0, sum: 0 });
  expect(forward).toEqual(backward);
  expect(valueOf(s, forward)).toBe(1);
});

test('definitions: bad window, property path and kind are rejected', () => {
  expect(ComputedSpecSchema.safeParse({ kind: 'count', event: 'E', window: '30 days' }).success).toBe(false);
  expect(ComputedSpecSchema.safeParse({ kind: 'sum', event: 'E', property: 'total' }).success).toBe(false);
  expect(
    ComputedSpecSchema.safeParse({ kind: 'median', event: 'E', property: 'properties.total' }).success,
  ).toBe(false);
  expect(ComputedSpecSchema.safeParse({ kind: 'count', event: 'E', window: '500d' }).success).toBe(false);
});
