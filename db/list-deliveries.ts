import type { DeliveryAttempt } from './deliveries';
import type { Queryable } from './queryable';

/** Rows per INSERT: keeps each statement's JSON parameter to a few megabytes. */
const CHUNK = 1_000;

/**
 * Records many attempts at once: a list batch logs one row per member (thousands per request), so
 * one statement per chunk instead of one per row.
 */
export async function insertAttempts(db: Queryable, attempts: readonly DeliveryAttempt[]): Promise<void> {
  for (let start = 0; start < attempts.length; start += CHUNK) {
    const rows = attempts.slice(start, start + CHUNK).map((a) => ({
      message_id: a.messageId,
      workflow_id: a.workflowId,
      journey_id: a.journeyId,
      journey_version: a.journeyVersion,
      step_id: a.stepId,
      destination_id: a.destinationId,
      call: a.call,
      action: a.action,
      attempt: a.attempt,
      status: a.status,
      http_status: a.httpStatus,
      latency_ms: a.latencyMs,
      request: a.request ?? null,
      response: a.response ?? null,
      error: a.error,
    }));
    await db.query(
      `INSERT INTO deliveries (message_id, workflow_id, journey_id, journey_version, step_id, destination_id, call, action,
         attempt, status, http_status, latency_ms, request, response, error)
       SELECT message_id, workflow_id, journey_id, journey_version, step_id, destination_id, call, action,
         attempt, status, http_status, latency_ms, request, response, error
       FROM jsonb_to_recordset($1::jsonb) AS r(message_id text, workflow_id text, journey_id text, journey_version int,
         step_id text, destination_id text, call text, action text, attempt int, status text, http_status int,
         latency_ms int, request jsonb, response jsonb, error text)`,
      [JSON.stringify(rows)],
    );
  }
}

/**
 * (messageId, action) pairs already settled, delivered or failed for good, among these members: an
 * activity re-run after a crash, or a member signalled twice, must not be sent again.
 */
export async function settledMembers(db: Queryable, messageIds: readonly string[]): Promise<Set<string>> {
  if (messageIds.length === 0) return new Set();
  const result = await db.query<{ key: string }>(
    `SELECT DISTINCT message_id || ' ' || action AS key FROM deliveries
     WHERE message_id = ANY($1::text[]) AND status IN ('delivered', 'failed')`,
    [messageIds],
  );
  return new Set(result.rows.map((r) => r.key));
}
