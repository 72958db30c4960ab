import type { Queryable } from './queryable';

export type DeliveryStatus = 'delivered' | 'retrying' | 'failed';

export interface DeliveryAttempt {
  messageId: string;
  workflowId: string;
  journeyId: string;
  journeyVersion: number;
  stepId: string;
  destinationId: string;
  call: string;
  action: string;
  attempt: number;
  status: DeliveryStatus;
  httpStatus: number | null;
  latencyMs: number;
  request: unknown;
  response: unknown;
  error: string | null;
}

export interface DeliveryRow extends DeliveryAttempt {
  id: string;
  createdAt: Date;
}

export async function insertAttempt(db: Queryable, a: DeliveryAttempt): Promise<void> {
  await db.query(
    `INSERT INTO deliveries (message_id, workflow_id, journey_id, journey_version, step_id, destination_id, call, action,
       attempt, status, http_status, latency_ms, request, response, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      a.messageId, a.workflowId, a.journeyId, a.journeyVersion, a.stepId, a.destinationId, a.call, a.action,
      a.attempt, a.status, a.httpStatus, a.latencyMs, JSON.stringify(a.request ?? null),
      JSON.stringify(a.response ?? null), a.error,
    ],
  );
}

/** Actions that already delivered this message: a retry after a crash must not send them again. */
export async function deliveredActions(db: Queryable, messageId: string): Promise<Set<string>> {
  const result = await db.query<{ action: string }>(
    `SELECT DISTINCT action FROM deliveries WHERE message_id = $1 AND status = 'delivered'`,
    [messageId],
  );
  return new Set(result.rows.map((r) => r.action));
}

export interface DeliveryFilter {
  journeyId?: string;
  stepId?: string;
  status?: DeliveryStatus;
  destinationId?: string;
  workflowId?: string;
  messageId?: string;
  limit: number;
  /** Rows with an id below this one (keyset pagination, newest first). */
  before?: string;
}

export async function listDeliveries(db: Queryable, filter: DeliveryFilter): Promise<DeliveryRow[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (column: string, value: unknown): void => {
    values.push(value);
    where.push(`${column} = $${values.length}`);
  };
  if (filter.journeyId !== undefined) add('journey_id', filter.journeyId);
  if (filter.stepId !== undefined) add('step_id', filter.stepId);
  if (filter.status !== undefined) add('status', filter.status);
  if (filter.destinationId !== undefined) add('destination_id', filter.destinationId);
  if (filter.workflowId !== undefined) add('workflow_id', filter.workflowId);
  if (filter.messageId !== undefined) add('message_id', filter.messageId);
  if (filter.before !== undefined) {
    values.push(filter.before);
    where.push(`id < $${values.length}`);
  }
  values.push(filter.limit);
  const result = await db.query<DeliveryRow>(
    `SELECT id::text, message_id AS "messageId", workflow_id AS "workflowId", journey_id AS "journeyId",
       journey_version AS "journeyVersion", step_id AS "stepId", destination_id AS "destinationId", call, action,
       attempt, status, http_status AS "httpStatus", latency_ms AS "latencyMs", request, response, error,
       created_at AS "createdAt"
     FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY id DESC LIMIT $${values.length}`,
    values,
  );
  return result.rows;
}
