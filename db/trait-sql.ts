import type { PoolClient } from 'pg';
import { parseDuration } from '../journeys/duration';
import type { SqlTrait } from '../traits/definitions';
import { SqlTraitRejection } from '../traits/sql-check';
import type { Db } from './pool';
import type { Queryable } from './queryable';

/**
 * Runs SQL traits (SPEC §3): inside a READ ONLY transaction, as the `sojourn_sql_traits` role (which
 * may read `events` and `profiles` only; migration 006), under a statement timeout. The query is
 * wrapped so that each row becomes `{user_id, value}` with the value columns as one JSON object
 * (to_jsonb keeps numbers as numbers, where pg would hand bigint and numeric back as strings).
 */
export const SQL_TRAITS_ROLE = 'sojourn_sql_traits';
/** Rows cached at registration; users beyond these are fetched on first read. */
const MAX_ROWS_CACHED_AT_REGISTRATION = 100_000;

interface PgError {
  code?: string;
  message?: string;
}

/** A PostgreSQL error from running the query, as a rejection the API answers with 400. */
function rejectionOf(error: unknown, timeoutMs: number): SqlTraitRejection {
  const pg = error as PgError;
  const message = pg.message ?? String(error);
  switch (pg.code) {
    case '25006':
      return new SqlTraitRejection(
        'sql_writes',
        `SQL traits are read-only: the query tried to write (${message})`,
      );
    case '57014':
      return new SqlTraitRejection(
        'sql_timeout',
        `the query ran longer than its ${timeoutMs} ms statement timeout`,
      );
    case '42501':
      return new SqlTraitRejection(
        'sql_forbidden',
        `SQL traits may read only the events and profiles tables (${message})`,
      );
    case '42703':
      if (/user_id/.test(message))
        return new SqlTraitRejection('sql_no_user_id', 'the query must return a user_id column');
      break;
  }
  return new SqlTraitRejection('sql_failed', `the query failed: ${message}`);
}

async function sandboxed<T>(
  pool: Db,
  timeoutMs: number,
  run: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}`);
    await client.query('SET LOCAL lock_timeout = 1000');
    try {
      await client.query(`SET LOCAL ROLE ${SQL_TRAITS_ROLE}`);
    } catch (error) {
      throw new SqlTraitRejection(
        'sql_unavailable',
        `SQL traits need the ${SQL_TRAITS_ROLE} role, which this database user could not create or use (${(error as PgError).message}); create it as a privileged user (see db/migrations/006_traits.sql)`,
      );
    }
    return await run(client);
  } catch (error) {
    throw error instanceof SqlTraitRejection ? error : rejectionOf(error, timeoutMs);
  } finally {
    // Never commit: nothing the query did (set_config, …) outlives it.
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

const wrapped = (statement: string, filtered: boolean) =>
  // Newlines keep a trailing `-- comment` in the user's query from swallowing the wrapper.
  `SELECT q.user_id::text AS user_id, to_jsonb(q) - 'user_id' AS value FROM (\n${statement}\n) q` +
  (filtered ? `\nWHERE q.user_id::text = $1 LIMIT 1` : '');

/** Every row of the query: the registration run, which also proves it finishes within its timeout. */
export async function runSqlTraitForAll(
  pool: Db,
  statement: string,
  timeoutMs: number,
): Promise<Array<{ userId: string; value: Record<string, unknown> }>> {
  return sandboxed(pool, timeoutMs, async (client) => {
    const result = await client.query<{ user_id: string | null; value: Record<string, unknown> }>(
      wrapped(statement, false),
    );
    return result.rows
      .filter((r) => r.user_id !== null)
      .map((r) => ({ userId: r.user_id as string, value: r.value }));
  });
}

export async function runSqlTraitForUser(
  pool: Db,
  statement: string,
  timeoutMs: number,
  userId: string,
): Promise<Record<string, unknown> | undefined> {
  return sandboxed(pool, timeoutMs, async (client) => {
    const result = await client.query<{ value: Record<string, unknown> }>(wrapped(statement, true), [userId]);
    return result.rows[0]?.value;
  });
}

/** Fills the per-user cache from the registration run (first row per user wins). */
export async function cacheSqlResults(
  db: Queryable,
  key: string,
  rows: ReadonlyArray<{ userId: string; value: Record<string, unknown> }>,
): Promise<void> {
  const seen = new Map<string, Record<string, unknown>>();
  for (const row of rows)
    if (!seen.has(row.userId) && seen.size < MAX_ROWS_CACHED_AT_REGISTRATION) seen.set(row.userId, row.value);
  const entries = [...seen.entries()];
  for (let i = 0; i < entries.length; i += 5_000) {
    const chunk = entries.slice(i, i + 5_000);
    await db.query(
      `INSERT INTO sql_trait_values (trait_key, user_id, value, refreshed_at)
       SELECT $1, u.user_id, u.value::jsonb, now() FROM unnest($2::text[], $3::text[]) AS u(user_id, value)
       ON CONFLICT (trait_key, user_id) DO UPDATE SET value = EXCLUDED.value, refreshed_at = EXCLUDED.refreshed_at`,
      [key, chunk.map(([u]) => u), chunk.map(([, v]) => JSON.stringify(v))],
    );
  }
}

/**
 * A user's row of a SQL trait: from the cache while it is younger than the refresh interval, else
 * by running the query for that user (a user without a row is cached as absent too).
 */
export async function sqlTraitValue(
  pool: Db,
  trait: SqlTrait,
  statement: string,
  userId: string,
): Promise<Record<string, unknown> | undefined> {
  const cached = await pool.query<{ value: Record<string, unknown> | null; fresh: boolean }>(
    `SELECT value, refreshed_at > now() - make_interval(secs => $3::float8 / 1000) AS fresh
     FROM sql_trait_values WHERE trait_key = $1 AND user_id = $2`,
    [trait.key, userId, parseDuration(trait.refreshInterval)],
  );
  const row = cached.rows[0];
  if (row?.fresh) return row.value ?? undefined;
  const value = await runSqlTraitForUser(pool, statement, trait.timeoutMs, userId);
  await pool.query(
    `INSERT INTO sql_trait_values (trait_key, user_id, value, refreshed_at) VALUES ($1, $2, $3::jsonb, now())
     ON CONFLICT (trait_key, user_id) DO UPDATE SET value = EXCLUDED.value, refreshed_at = EXCLUDED.refreshed_at`,
    [trait.key, userId, value === undefined ? null : JSON.stringify(value)],
  );
  return value;
}
