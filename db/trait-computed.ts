import {
  contributionOf,
  merge,
  windowMs,
  windowStart,
  type Aggregate,
  type CallFacts,
  type Contribution,
} from '../traits/computed';
import type { ComputedSpec, ComputedTrait } from '../traits/definitions';
import { inTransaction, type Db } from './pool';
import type { Queryable } from './queryable';
import { computedTraitsFor, insertTrait, setTraitStatus, type TraitRow } from './traits';

/** Per (user, bucket) aggregates to add to `computed_trait_state`; the key is `user\u0000bucket`. */
type Pending = Map<string, { userId: string; bucket: Date | null; aggregate: Aggregate }>;

const jsonOrNull = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const isoOrNull = (ms: number | undefined): string | null =>
  ms === undefined ? null : new Date(ms).toISOString();

/**
 * Adds aggregates in one statement. The merge rules are those of traits/computed.ts `merge`: counts
 * and sums add up, the earliest value stays first and the latest (ties: the newer write) last.
 */
async function upsertAggregates(db: Queryable, traitKey: string, pending: Pending): Promise<void> {
  if (pending.size === 0) return;
  const items = [...pending.values()];
  await db.query(
    `INSERT INTO computed_trait_state AS s (trait_key, user_id, bucket, count, sum, first_value, first_at, last_value, last_at)
     SELECT $1, u.user_id, COALESCE(u.bucket::timestamptz, '-infinity'), u.count, u.sum,
            u.first_value::jsonb, u.first_at::timestamptz, u.last_value::jsonb, u.last_at::timestamptz
     FROM unnest($2::text[], $3::text[], $4::bigint[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::text[])
          AS u(user_id, bucket, count, sum, first_value, first_at, last_value, last_at)
     ON CONFLICT (trait_key, user_id, bucket) DO UPDATE SET
       count = s.count + EXCLUDED.count,
       sum = s.sum + EXCLUDED.sum,
       first_value = CASE WHEN EXCLUDED.first_at IS NOT NULL AND (s.first_at IS NULL OR EXCLUDED.first_at < s.first_at)
                          THEN EXCLUDED.first_value ELSE s.first_value END,
       first_at = CASE WHEN EXCLUDED.first_at IS NOT NULL AND (s.first_at IS NULL OR EXCLUDED.first_at < s.first_at)
                       THEN EXCLUDED.first_at ELSE s.first_at END,
       last_value = CASE WHEN EXCLUDED.last_at IS NOT NULL AND (s.last_at IS NULL OR EXCLUDED.last_at >= s.last_at)
                         THEN EXCLUDED.last_value ELSE s.last_value END,
       last_at = CASE WHEN EXCLUDED.last_at IS NOT NULL AND (s.last_at IS NULL OR EXCLUDED.last_at >= s.last_at)
                      THEN EXCLUDED.last_at ELSE s.last_at END`,
    [
      traitKey,
      items.map((i) => i.userId),
      items.map((i) => (i.bucket ? i.bucket.toISOString() : null)),
      items.map((i) => i.aggregate.count),
      items.map((i) => i.aggregate.sum),
      items.map((i) => jsonOrNull(i.aggregate.firstValue)),
      items.map((i) => isoOrNull(i.aggregate.firstAt)),
      items.map((i) => jsonOrNull(i.aggregate.lastValue)),
      items.map((i) => isoOrNull(i.aggregate.lastAt)),
    ],
  );
}

function add(pending: Pending, userId: string, c: Contribution): void {
  const id = `${userId}\u0000${c.bucket?.toISOString() ?? ''}`;
  const entry = pending.get(id) ?? { userId, bucket: c.bucket, aggregate: { count: 0, sum: 0 } };
  entry.aggregate = merge(entry.aggregate, c);
  pending.set(id, entry);
}

/** Drops a user's buckets that have left the window, so storage stays bounded by the window. */
async function dropExpired(
  db: Queryable,
  traitKey: string,
  userId: string,
  spec: ComputedSpec,
  now: number,
): Promise<void> {
  const window = windowMs(spec);
  if (window === undefined) return;
  await db.query('DELETE FROM computed_trait_state WHERE trait_key = $1 AND user_id = $2 AND bucket < $3', [
    traitKey,
    userId,
    new Date(windowStart(now, window)),
  ]);
}

export interface IngestedFacts extends CallFacts {
  messageId: string;
  userId: string;
}

/** The ingest hook: one fresh call updates every computed trait it concerns (SPEC §3). */
export async function applyToComputedTraits(
  db: Queryable,
  call: IngestedFacts,
  now = Date.now(),
): Promise<void> {
  const traits = await computedTraitsFor(db, call.type === 'track' ? (call.event ?? null) : null);
  if (traits.length === 0) return;
  const stored = await db.query<{ id: string }>('SELECT id FROM events WHERE message_id = $1', [
    call.messageId,
  ]);
  const eventId = Number(stored.rows[0]?.id ?? 0);
  for (const trait of traits) {
    // Events up to backfill_through are the backfill's to count: counting them here too would double them.
    if (trait.backfillThrough !== null && eventId <= trait.backfillThrough) continue;
    const spec = (trait.definition as ComputedTrait).computation;
    const contribution = contributionOf(spec, call, now);
    if (!contribution) continue;
    const pending: Pending = new Map();
    add(pending, call.userId, contribution);
    await upsertAggregates(db, trait.key, pending);
    await dropExpired(db, trait.key, call.userId, spec, now);
  }
}

const BACKFILL_PAGE = 5_000;

interface EventRow extends CallFacts {
  id: string;
  userId: string;
}

/** Counts every event stored before the trait existed (ids up to `through`), a page at a time. */
async function backfill(db: Queryable, trait: ComputedTrait, through: number, now: number): Promise<void> {
  const spec = trait.computation;
  const window = windowMs(spec);
  const since = window === undefined ? null : new Date(windowStart(now, window));
  let after = 0;
  for (;;) {
    const page = await db.query<EventRow>(
      `SELECT id, user_id AS "userId", type, event, properties, traits, context, timestamp FROM events
       WHERE id > $1 AND id <= $2 AND ($3::text IS NULL OR (type = 'track' AND event = $3))
         AND ($4::timestamptz IS NULL OR timestamp >= $4)
       ORDER BY id LIMIT ${BACKFILL_PAGE}`,
      [after, through, spec.event ?? null, since],
    );
    const pending: Pending = new Map();
    for (const row of page.rows) {
      const contribution = contributionOf(spec, row, now);
      if (contribution) add(pending, row.userId, contribution);
    }
    await upsertAggregates(db, trait.key, pending);
    const last = page.rows[page.rows.length - 1];
    if (!last || page.rows.length < BACKFILL_PAGE) return;
    after = Number(last.id);
  }
}

/**
 * Defines a computed trait and backfills it from stored events. A SHARE lock on `events` while the
 * definition is written lets in-flight ingestion commit first and holds new ingestion back for that
 * instant, so every event is counted exactly once: by the backfill (id ≤ the highest id then) or by
 * the ingest hook (any later id).
 */
export async function defineComputedTrait(
  pool: Db,
  trait: ComputedTrait,
  now = Date.now(),
): Promise<'created' | 'exists'> {
  const through = await inTransaction(pool, async (tx) => {
    await tx.query('LOCK TABLE events IN SHARE MODE');
    const max = await tx.query<{ max: string | null }>('SELECT max(id) AS max FROM events');
    const highest = Number(max.rows[0]?.max ?? 0);
    const created = await insertTrait(tx, {
      key: trait.key,
      type: 'computed',
      definition: trait,
      status: 'backfilling',
      backfillThrough: highest,
    });
    return created ? highest : undefined;
  });
  if (through === undefined) return 'exists';
  try {
    await backfill(pool, trait, through, now);
    await setTraitStatus(pool, trait.key, 'ready');
  } catch (error) {
    // A half-done backfill cannot be resumed without double counting: clear it and say so.
    await pool
      .query('DELETE FROM computed_trait_state WHERE trait_key = $1', [trait.key])
      .catch(() => undefined);
    await setTraitStatus(pool, trait.key, 'failed', `backfill failed: ${(error as Error).message}`).catch(
      () => undefined,
    );
    throw error;
  }
  return 'created';
}

/** The current aggregate of each given computed trait for one user, summed over the buckets in its window. */
export async function readComputedAggregates(
  db: Queryable,
  traits: readonly TraitRow[],
  userId: string,
  now = Date.now(),
): Promise<Map<string, Aggregate>> {
  if (traits.length === 0) return new Map();
  const since = traits.map((t) => {
    const window = windowMs((t.definition as ComputedTrait).computation);
    return window === undefined ? '-infinity' : new Date(windowStart(now, window)).toISOString();
  });
  const result = await db.query<{
    key: string;
    count: number;
    sum: number;
    firstValue: unknown;
    lastValue: unknown;
    firstAt: Date | null;
    lastAt: Date | null;
  }>(
    `SELECT w.key, sum(s.count)::float8 AS count, sum(s.sum) AS sum,
            (array_agg(s.first_value ORDER BY s.first_at) FILTER (WHERE s.first_at IS NOT NULL))[1] AS "firstValue",
            min(s.first_at) AS "firstAt",
            (array_agg(s.last_value ORDER BY s.last_at DESC) FILTER (WHERE s.last_at IS NOT NULL))[1] AS "lastValue",
            max(s.last_at) AS "lastAt"
     FROM unnest($2::text[], $3::timestamptz[]) AS w(key, since)
     JOIN computed_trait_state s ON s.trait_key = w.key AND s.user_id = $1 AND s.bucket >= w.since
     GROUP BY w.key`,
    [userId, traits.map((t) => t.key), since],
  );
  return new Map(
    result.rows.map((r) => [
      r.key,
      {
        count: r.count,
        sum: r.sum,
        ...(r.firstAt ? { firstValue: r.firstValue, firstAt: r.firstAt.getTime() } : {}),
        ...(r.lastAt ? { lastValue: r.lastValue, lastAt: r.lastAt.getTime() } : {}),
      },
    ]),
  );
}
