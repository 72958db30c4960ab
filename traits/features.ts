import { createHash } from 'node:crypto';

/**
 * Features of a user for predictive traits, as of a reference time: per event name, counts in the
 * last 7, 30 and 90 days (log-scaled), days since the last event and since the last target event,
 * and the chosen custom traits. Pure: db/trait-predictive.ts fetches the per-(user, event) rows.
 */
export const DAY_MS = 24 * 60 * 60 * 1000;
/** How far back features look; users without events in it are not scored. */
export const LOOKBACK_DAYS = 90;
const MAX_VOCABULARY = 20;

export interface EventAggregateRow {
  userId: string;
  /** The event name (track) or `$<type>` for other calls (identify, page, …). */
  event: string;
  c7: number;
  c30: number;
  c90: number;
  lastMs: number;
}

export interface FeatureSpec {
  target: string;
  vocabulary: string[];
  traits: string[];
}

export function groupByUser(rows: readonly EventAggregateRow[]): Map<string, EventAggregateRow[]> {
  const byUser = new Map<string, EventAggregateRow[]>();
  for (const row of rows) {
    const list = byUser.get(row.userId);
    if (list) list.push(row);
    else byUser.set(row.userId, [row]);
  }
  return byUser;
}

/** The target first, then the most frequent other event names (ties by name, so fits are repeatable). */
export function vocabularyOf(rows: readonly EventAggregateRow[], target: string): string[] {
  const totals = new Map<string, number>();
  for (const row of rows)
    if (row.event !== target) totals.set(row.event, (totals.get(row.event) ?? 0) + row.c90);
  const others = [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name]) => name);
  return [target, ...others.slice(0, MAX_VOCABULARY - 1)];
}

export function featureNames(spec: FeatureSpec): string[] {
  return [
    ...spec.vocabulary.flatMap((e) => [`count_7d:${e}`, `count_30d:${e}`, `count_90d:${e}`]),
    'days_since_last_event',
    'days_since_last_target',
    ...spec.traits.map((t) => `trait:${t}`),
  ];
}

function traitNumber(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return 0;
}

export function userFeatures(
  rows: readonly EventAggregateRow[],
  traits: Record<string, unknown>,
  spec: FeatureSpec,
  referenceMs: number,
): number[] {
  const byEvent = new Map(rows.map((r) => [r.event, r]));
  const counts = spec.vocabulary.flatMap((name) => {
    const row = byEvent.get(name);
    return [Math.log1p(row?.c7 ?? 0), Math.log1p(row?.c30 ?? 0), Math.log1p(row?.c90 ?? 0)];
  });
  const daysSince = (ms: number | undefined): number =>
    ms === undefined
      ? LOOKBACK_DAYS + 1
      : Math.min(LOOKBACK_DAYS + 1, Math.max(0, (referenceMs - ms) / DAY_MS));
  const lastAny = rows.length > 0 ? Math.max(...rows.map((r) => r.lastMs)) : undefined;
  const lastTarget = byEvent.get(spec.target)?.lastMs;
  return [
    ...counts,
    Math.log1p(daysSince(lastAny)),
    Math.log1p(daysSince(lastTarget)),
    ...spec.traits.map((t) => traitNumber(traits[t])),
  ];
}

export interface Scaler {
  mean: number[];
  std: number[];
}

/** Standardisation learned on the training rows; a constant feature gets std 1 (it carries nothing). */
export function fitScaler(X: readonly (readonly number[])[]): Scaler {
  const d = X[0]?.length ?? 0;
  const n = Math.max(1, X.length);
  const mean = Array.from({ length: d }, (_, j) => X.reduce((s, x) => s + (x[j] ?? 0), 0) / n);
  const std = Array.from({ length: d }, (_, j) => {
    const variance = X.reduce((s, x) => s + ((x[j] ?? 0) - (mean[j] ?? 0)) ** 2, 0) / n;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { mean, std };
}

export function scale(scaler: Scaler, x: readonly number[]): number[] {
  return x.map((v, j) => (v - (scaler.mean[j] ?? 0)) / (scaler.std[j] ?? 1));
}

/** A stable quarter of users is held out for the AUC; the same user always falls on the same side. */
export function isHeldOut(userId: string, fraction = 0.25): boolean {
  return createHash('sha256').update(userId).digest().readUInt32BE(0) / 0x1_0000_0000 < fraction;
}
