import type { Queryable } from './queryable';

export interface Pruned {
  deliveries: number;
  listMembers: number;
}

/**
 * Deletes deliveries-log rows and settled list members (delivered or failed for good) from before
 * `before`, `batchSize` rows per statement so no statement holds locks for long. Pending and
 * in-flight members are never touched, however old. `onBatch` runs between statements (heartbeats).
 */
export async function pruneOlderThan(
  db: Queryable,
  before: Date,
  batchSize = 5_000,
  onBatch: () => void = () => undefined,
): Promise<Pruned> {
  const deliveries = await deleteInBatches(
    db,
    `DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE created_at < $1 LIMIT $2)`,
    before,
    batchSize,
    onBatch,
  );
  const listMembers = await deleteInBatches(
    db,
    `DELETE FROM list_members WHERE message_id IN (
       SELECT message_id FROM list_members WHERE status IN ('delivered', 'failed') AND updated_at < $1 LIMIT $2)`,
    before,
    batchSize,
    onBatch,
  );
  return { deliveries, listMembers };
}

async function deleteInBatches(
  db: Queryable,
  sql: string,
  before: Date,
  batchSize: number,
  onBatch: () => void,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = (await db.query(sql, [before, batchSize])).rowCount ?? 0;
    total += deleted;
    onBatch();
    if (deleted < batchSize) return total;
  }
}
