import type { ListMember } from '../workflows/list-types';
import type { Queryable } from './queryable';

/** A member claimed for a batch, with what its retries need to know. */
export interface ClaimedMember {
  member: ListMember;
  attempt: number;
  firstAttemptAt: Date;
}

export interface ListKey {
  destinationId: string;
  externalId: string;
}

/** Adds members to a list's queue; a member already queued (or sent) is left alone. Returns how many were new. */
export async function insertMembers(
  db: Queryable,
  list: ListKey,
  members: readonly ListMember[],
): Promise<number> {
  if (members.length === 0) return 0;
  const result = await db.query(
    `INSERT INTO list_members (message_id, destination_id, external_id, member)
     SELECT m->>'messageId', $1, $2, m FROM jsonb_array_elements($3::jsonb) AS m
     ON CONFLICT (message_id) DO NOTHING`,
    [list.destinationId, list.externalId, JSON.stringify(members)],
  );
  return result.rowCount ?? 0;
}

const CLAIMED = `m.member, m.attempt, m.first_attempt_at AS "firstAttemptAt"`;

/** A batch already claimed under `batchId` (its activity crashed or timed out after claiming), as it was. */
export async function claimedBatch(db: Queryable, batchId: string): Promise<ClaimedMember[]> {
  const result = await db.query<ClaimedMember>(
    `SELECT ${CLAIMED} FROM list_members m WHERE m.batch_id = $1 AND m.status = 'sending'`,
    [batchId],
  );
  return result.rows;
}

/**
 * Claims the members of one batch under `batchId`: the earliest retry group that is due, alone;
 * else the oldest new members, up to `size`.
 */
export async function claimBatch(
  db: Queryable,
  list: ListKey,
  batchId: string,
  size: number,
): Promise<ClaimedMember[]> {
  const claimed = await db.query<ClaimedMember>(
    `WITH due_group AS (
       SELECT retry_group FROM list_members
       WHERE destination_id = $1 AND external_id = $2 AND status = 'pending' AND retry_group IS NOT NULL AND due_at <= now()
       ORDER BY due_at, retry_group LIMIT 1
     ), picked AS (
       SELECT message_id FROM list_members
       WHERE destination_id = $1 AND external_id = $2 AND status = 'pending'
         AND retry_group IS NOT DISTINCT FROM (SELECT retry_group FROM due_group)
       ORDER BY enqueued_at, message_id
       LIMIT $4
       FOR UPDATE SKIP LOCKED
     )
     UPDATE list_members m
     SET status = 'sending', batch_id = $3, attempt = m.attempt + 1,
         first_attempt_at = COALESCE(m.first_attempt_at, now()), updated_at = now()
     FROM picked WHERE m.message_id = picked.message_id
     RETURNING ${CLAIMED}`,
    [list.destinationId, list.externalId, batchId, size],
  );
  return claimed.rows;
}

export type MemberOutcome =
  | { messageId: string; status: 'delivered' | 'failed' }
  | { messageId: string; status: 'retry'; delayMs: number; retryGroup: string };

/** Settles a batch: delivered or failed for good, or back in the queue as a retry group due later. */
export async function settleMembers(db: Queryable, outcomes: readonly MemberOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await db.query(
    `UPDATE list_members m
     SET status = CASE WHEN o.status = 'retry' THEN 'pending' ELSE o.status END,
         retry_group = CASE WHEN o.status = 'retry' THEN o.retry_group ELSE m.retry_group END,
         due_at = CASE WHEN o.status = 'retry' THEN now() + o.delay_ms * interval '1 millisecond' ELSE m.due_at END,
         batch_id = NULL, updated_at = now()
     FROM jsonb_to_recordset($1::jsonb) AS o(message_id text, status text, delay_ms double precision, retry_group text)
     WHERE m.message_id = o.message_id`,
    [
      JSON.stringify(
        outcomes.map((o) => ({
          message_id: o.messageId,
          status: o.status,
          delay_ms: 'delayMs' in o ? o.delayMs : null,
          retry_group: 'retryGroup' in o ? o.retryGroup : null,
        })),
      ),
    ],
  );
}

/** What a list's queue holds, relative to the database clock so that worker clocks do not matter. */
export interface QueueState {
  /** New members waiting (not retries). */
  waiting: number;
  /** How long the oldest of them has waited. */
  oldestWaitingMs: number | null;
  /** How long ago the newest of them arrived. */
  newestWaitingMs: number | null;
  /** When the next retry group is due (0: now); null: none. */
  nextRetryInMs: number | null;
}

export async function queueState(db: Queryable, list: ListKey): Promise<QueueState> {
  const result = await db.query<{
    waiting: number;
    oldest: number | null;
    newest: number | null;
    nextRetry: number | null;
  }>(
    `SELECT count(*) FILTER (WHERE retry_group IS NULL)::int AS waiting,
       (extract(epoch FROM now() - min(enqueued_at) FILTER (WHERE retry_group IS NULL)) * 1000)::float8 AS oldest,
       (extract(epoch FROM now() - max(enqueued_at) FILTER (WHERE retry_group IS NULL)) * 1000)::float8 AS newest,
       (extract(epoch FROM min(due_at) FILTER (WHERE retry_group IS NOT NULL) - now()) * 1000)::float8 AS "nextRetry"
     FROM list_members WHERE destination_id = $1 AND external_id = $2 AND status = 'pending'`,
    [list.destinationId, list.externalId],
  );
  const row = result.rows[0];
  return {
    waiting: row?.waiting ?? 0,
    oldestWaitingMs: row?.oldest ?? null,
    newestWaitingMs: row?.newest ?? null,
    // Not GREATEST(0, …) in SQL: it skips NULLs, and "no retry" must stay null, not become "due now".
    nextRetryInMs:
      row?.nextRetry === null || row?.nextRetry === undefined ? null : Math.max(0, row.nextRetry),
  };
}
