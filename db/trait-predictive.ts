import { LOOKBACK_DAYS, type EventAggregateRow } from '../traits/features';
import { inTransaction, type Db } from './pool';
import type { Queryable } from './queryable';

/**
 * Reads for predictive traits: per-(user, event name) counts in the 7 / 30 / 90 days before a
 * reference time, aggregated in PostgreSQL so only one small row per pair leaves the database.
 */
export async function eventAggregates(db: Queryable, referenceMs: number): Promise<EventAggregateRow[]> {
  const result = await db.query<EventAggregateRow>(
    `SELECT user_id AS "userId", COALESCE(event, '$' || type) AS event,
            (count(*) FILTER (WHERE timestamp > $1::timestamptz - interval '7 days'))::float8 AS c7,
            (count(*) FILTER (WHERE timestamp > $1::timestamptz - interval '30 days'))::float8 AS c30,
            count(*)::float8 AS c90,
            (extract(epoch FROM max(timestamp)) * 1000)::float8 AS "lastMs"
     FROM events
     WHERE timestamp <= $1::timestamptz AND timestamp > $1::timestamptz - make_interval(days => $2)
     GROUP BY 1, 2`,
    [new Date(referenceMs), LOOKBACK_DAYS],
  );
  return result.rows;
}

/** Users who did the event in (from, to]: the labels of a fit. */
export async function usersWithEventBetween(
  db: Queryable,
  event: string,
  fromMs: number,
  toMs: number,
): Promise<Set<string>> {
  const result = await db.query<{ user_id: string }>(
    `SELECT DISTINCT user_id FROM events WHERE type = 'track' AND event = $1 AND timestamp > $2 AND timestamp <= $3`,
    [event, new Date(fromMs), new Date(toMs)],
  );
  return new Set(result.rows.map((r) => r.user_id));
}

/** The named custom traits of many users (only those used as features). */
export async function traitsOfUsers(
  db: Queryable,
  userIds: readonly string[],
  names: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  if (names.length === 0 || userIds.length === 0) return out;
  const result = await db.query<{ user_id: string; picked: Record<string, unknown> }>(
    `SELECT user_id, (SELECT COALESCE(jsonb_object_agg(k, traits->k), '{}'::jsonb) FROM unnest($2::text[]) AS k WHERE traits ? k) AS picked
     FROM profiles WHERE user_id = ANY($1::text[])`,
    [userIds, names],
  );
  for (const row of result.rows) out.set(row.user_id, row.picked);
  return out;
}

/** Replaces the trait's scores with a new fit's, at once (readers never see a half-written set). */
export async function replaceScores(
  pool: Db,
  key: string,
  scores: ReadonlyMap<string, number>,
): Promise<void> {
  const entries = [...scores.entries()];
  await inTransaction(pool, async (tx) => {
    await tx.query('DELETE FROM predictive_trait_scores WHERE trait_key = $1', [key]);
    for (let i = 0; i < entries.length; i += 5_000) {
      const chunk = entries.slice(i, i + 5_000);
      await tx.query(
        `INSERT INTO predictive_trait_scores (trait_key, user_id, score)
         SELECT $1, u.user_id, u.score FROM unnest($2::text[], $3::float8[]) AS u(user_id, score)`,
        [key, chunk.map(([u]) => u), chunk.map(([, s]) => s)],
      );
    }
  });
}

export async function scoresOf(
  db: Queryable,
  keys: readonly string[],
  userId: string,
): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const result = await db.query<{ trait_key: string; score: number }>(
    'SELECT trait_key, score FROM predictive_trait_scores WHERE user_id = $1 AND trait_key = ANY($2::text[])',
    [userId, keys],
  );
  return new Map(result.rows.map((r) => [r.trait_key, r.score]));
}
