import type { Queryable } from './queryable';

/** A list at a list destination, named by a send step's key (SPEC §3). */
export interface ListRow {
  destinationId: string;
  audienceKey: string;
  externalId: string;
  journeyId: string;
  stepId: string;
}

const COLUMNS = `destination_id AS "destinationId", audience_key AS "audienceKey", external_id AS "externalId",
  journey_id AS "journeyId", step_id AS "stepId"`;

export async function findList(
  db: Queryable,
  destinationId: string,
  audienceKey: string,
): Promise<ListRow | undefined> {
  const result = await db.query<ListRow>(
    `SELECT ${COLUMNS} FROM destination_lists WHERE destination_id = $1 AND audience_key = $2`,
    [destinationId, audienceKey],
  );
  return result.rows[0];
}

/** Stores (or, after the list was re-created at the destination, replaces) a list's external id. */
export async function saveList(db: Queryable, row: ListRow): Promise<void> {
  await db.query(
    `INSERT INTO destination_lists (destination_id, audience_key, external_id, journey_id, step_id)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (destination_id, audience_key) DO UPDATE SET external_id = EXCLUDED.external_id, updated_at = now()`,
    [row.destinationId, row.audienceKey, row.externalId, row.journeyId, row.stepId],
  );
}

/**
 * Serialises list creation for one (destination, key) across API and worker processes until the
 * transaction ends, so two publishes at once never create the list twice.
 */
export async function lockList(db: Queryable, destinationId: string, audienceKey: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`list:${destinationId}:${audienceKey}`]);
}
