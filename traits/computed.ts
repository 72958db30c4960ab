import { readPath } from '../journeys/conditions';
import { parseDuration } from '../journeys/duration';
import type { ComputedSpec } from './definitions';

/**
 * Computed traits kept current incrementally (SPEC §3): each event adds a small contribution to a
 * per-(trait, user, time bucket) aggregate, so reading a value never rescans a user's history. Pure.
 *
 * Windowed traits keep one aggregate per bucket (an hour for windows up to 2 days, else a day), so
 * events leave the window when their bucket does; unwindowed traits keep a single aggregate.
 */
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export interface CallFacts {
  type: string;
  event?: string | null;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context?: Record<string, unknown>;
  timestamp: Date;
}

/** One event's share of an aggregate; `bucket` null for unwindowed traits. */
export interface Contribution {
  bucket: Date | null;
  count: number;
  sum: number;
  value?: unknown;
  at: Date;
}

export interface Aggregate {
  count: number;
  sum: number;
  firstValue?: unknown;
  firstAt?: number;
  lastValue?: unknown;
  lastAt?: number;
}

export function windowMs(spec: ComputedSpec): number | undefined {
  return spec.window === undefined ? undefined : parseDuration(spec.window);
}

export function bucketSizeMs(window: number): number {
  return window <= 2 * DAY ? HOUR : DAY;
}

export function bucketStart(at: number, window: number): number {
  const size = bucketSizeMs(window);
  return Math.floor(at / size) * size;
}

/**
 * The oldest bucket still inside the window at `now`: a window is counted in whole buckets, so
 * "30d" means today and the 29 days before it.
 */
export function windowStart(now: number, window: number): number {
  return bucketStart(now - window, window) + bucketSizeMs(window);
}

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** What one call adds to a trait, or undefined when it does not concern the trait (or has expired). */
export function contributionOf(spec: ComputedSpec, call: CallFacts, now: number): Contribution | undefined {
  if (spec.event !== undefined && (call.type !== 'track' || call.event !== spec.event)) return undefined;
  const window = windowMs(spec);
  const at = call.timestamp.getTime();
  let bucket: Date | null = null;
  if (window !== undefined) {
    const start = bucketStart(at, window);
    if (start < windowStart(now, window)) return undefined;
    bucket = new Date(start);
  }
  if (spec.kind === 'count') return { bucket, count: 1, sum: 0, at: call.timestamp };
  const raw = readPath(call, spec.property);
  if (spec.kind === 'sum' || spec.kind === 'average') {
    const value = numeric(raw);
    return value === undefined ? undefined : { bucket, count: 1, sum: value, at: call.timestamp };
  }
  if (raw === undefined || raw === null) return undefined;
  return { bucket, count: 1, sum: 0, value: raw, at: call.timestamp };
}

/** Adds a contribution to an aggregate: the same rules as the UPSERT in db/trait-computed.ts. */
export function merge(aggregate: Aggregate, c: Contribution): Aggregate {
  const at = c.at.getTime();
  const next: Aggregate = { ...aggregate, count: aggregate.count + c.count, sum: aggregate.sum + c.sum };
  if (c.value !== undefined) {
    if (next.firstAt === undefined || at < next.firstAt)
      Object.assign(next, { firstAt: at, firstValue: c.value });
    if (next.lastAt === undefined || at >= next.lastAt)
      Object.assign(next, { lastAt: at, lastValue: c.value });
  }
  return next;
}

/** The trait's value from its aggregate; undefined when the user has none (left out, never null). */
export function valueOf(spec: ComputedSpec, aggregate: Aggregate | undefined): unknown {
  const a = aggregate ?? { count: 0, sum: 0 };
  switch (spec.kind) {
    case 'count':
      return a.count;
    case 'sum':
      return a.count > 0 ? a.sum : undefined;
    case 'average':
      return a.count > 0 ? a.sum / a.count : undefined;
    case 'first':
      return a.firstValue ?? undefined;
    case 'last':
      return a.lastValue ?? undefined;
  }
}
