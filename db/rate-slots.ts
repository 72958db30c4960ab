import type { Queryable } from './queryable';

export type SlotReservation = { reserved: true; waitMs: number } | { reserved: false; waitMs: number };

/**
 * Reserves the next start time for a request to a destination, shared by every worker: one atomic
 * statement moves the destination's `next_free_ms` on by `spacingMs` and returns how long this
 * caller must wait before sending. Starts are therefore at least `spacingMs` apart, whichever
 * process sends them (a GCRA without burst allowance). Times are on the database clock, so workers'
 * clocks may disagree without harm; the caller only sleeps the returned duration.
 *
 * When the schedule is already more than `maxWaitMs` ahead, nothing is reserved (a slot the caller
 * would not use would only push everyone else back) and the wait is returned so the caller can
 * retry later.
 */
export async function reserveSlot(
  db: Queryable,
  destinationId: string,
  spacingMs: number,
  maxWaitMs: number,
): Promise<SlotReservation> {
  const reserved = await db.query<{ waitMs: number }>(
    `WITH clock AS (SELECT extract(epoch FROM clock_timestamp())::float8 * 1000 AS now_ms)
     INSERT INTO destination_rate_slots AS s (destination_id, next_free_ms)
     SELECT $1, now_ms + $2::float8 FROM clock
     ON CONFLICT (destination_id) DO UPDATE
       SET next_free_ms = GREATEST(s.next_free_ms, (SELECT now_ms FROM clock)) + $2::float8
       WHERE GREATEST(s.next_free_ms, (SELECT now_ms FROM clock)) - (SELECT now_ms FROM clock) <= $3::float8
     RETURNING GREATEST(0, s.next_free_ms - $2::float8 - (SELECT now_ms FROM clock)) AS "waitMs"`,
    [destinationId, spacingMs, maxWaitMs],
  );
  const row = reserved.rows[0];
  if (row) return { reserved: true, waitMs: row.waitMs };
  const current = await db.query<{ waitMs: number }>(
    `SELECT GREATEST(0, next_free_ms - extract(epoch FROM clock_timestamp())::float8 * 1000) AS "waitMs"
     FROM destination_rate_slots WHERE destination_id = $1`,
    [destinationId],
  );
  return { reserved: false, waitMs: current.rows[0]?.waitMs ?? 0 };
}
