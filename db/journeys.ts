import type { JourneyDefinition } from '../journeys/schema';
import type { Queryable } from './queryable';

export type JourneyStatus = 'draft' | 'published' | 'paused' | 'archived';

export interface JourneyVersionRow {
  id: string;
  name: string;
  status: JourneyStatus;
  currentVersion: number;
  publishedVersion: number | null;
  version: number;
  definition: JourneyDefinition;
  stepKeys: Record<string, string>;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const SELECT_VERSION = `
  SELECT j.id, j.name, j.status, j.current_version AS "currentVersion", j.published_version AS "publishedVersion",
         v.version, v.definition, v.step_keys AS "stepKeys", v.published_at AS "publishedAt",
         j.created_at AS "createdAt", j.updated_at AS "updatedAt"
  FROM journeys j JOIN journey_versions v ON v.journey_id = j.id`;

export async function insertJourney(
  db: Queryable,
  journey: { id: string; definition: JourneyDefinition; stepKeys: Record<string, string> },
): Promise<void> {
  await db.query('INSERT INTO journeys (id, name) VALUES ($1, $2)', [journey.id, journey.definition.name]);
  await db.query('INSERT INTO journey_versions (journey_id, version, definition, step_keys) VALUES ($1, 1, $2, $3)', [
    journey.id,
    journey.definition,
    journey.stepKeys,
  ]);
}

/** The journey with its current (newest) version, or a given one. */
export async function findJourney(db: Queryable, id: string, version?: number): Promise<JourneyVersionRow | undefined> {
  const result =
    version === undefined
      ? await db.query<JourneyVersionRow>(`${SELECT_VERSION} WHERE j.id = $1 AND v.version = j.current_version`, [id])
      : await db.query<JourneyVersionRow>(`${SELECT_VERSION} WHERE j.id = $1 AND v.version = $2`, [id, version]);
  return result.rows[0];
}

/** Published (or paused) journeys with their live version: what ingestion checks events against. */
export async function findLiveJourneys(db: Queryable): Promise<JourneyVersionRow[]> {
  const result = await db.query<JourneyVersionRow>(
    `${SELECT_VERSION} WHERE j.status IN ('published', 'paused') AND v.version = j.published_version`,
  );
  return result.rows;
}

export async function setStatus(db: Queryable, id: string, status: JourneyStatus): Promise<void> {
  await db.query('UPDATE journeys SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
}

/** A new draft version; the published one keeps running until the draft is published. */
export async function insertVersion(
  db: Queryable,
  journey: { id: string; definition: JourneyDefinition; stepKeys: Record<string, string> },
): Promise<number> {
  const result = await db.query<{ version: number }>(
    `UPDATE journeys SET current_version = current_version + 1, name = $2, updated_at = now() WHERE id = $1
     RETURNING current_version AS version`,
    [journey.id, journey.definition.name],
  );
  const version = result.rows[0]?.version;
  if (version === undefined) throw new Error(`journey ${journey.id} not found`);
  await db.query('INSERT INTO journey_versions (journey_id, version, definition, step_keys) VALUES ($1, $2, $3, $4)', [
    journey.id,
    version,
    journey.definition,
    journey.stepKeys,
  ]);
  return version;
}

export async function publishCurrentVersion(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE journey_versions v SET published_at = COALESCE(v.published_at, now())
     FROM journeys j WHERE j.id = $1 AND v.journey_id = j.id AND v.version = j.current_version`,
    [id],
  );
  await db.query(
    `UPDATE journeys SET status = 'published', published_version = current_version, updated_at = now() WHERE id = $1`,
    [id],
  );
}

export async function insertEntry(
  db: Queryable,
  entry: { journeyId: string; userId: string; entryNo: number; version: number; workflowId: string; triggerId?: string },
): Promise<void> {
  await db.query(
    `INSERT INTO journey_entries (journey_id, user_id, entry_no, version, workflow_id, trigger_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [entry.journeyId, entry.userId, entry.entryNo, entry.version, entry.workflowId, entry.triggerId ?? null],
  );
}

/** Serialises entry decisions for one (journey, user) until the transaction ends. */
export async function lockEntries(db: Queryable, journeyId: string, userId: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${journeyId}:${userId}`]);
}

export interface EntryRow {
  entryNo: number;
  triggerId: string | null;
  version: number;
  workflowId: string;
  enteredAt: Date;
}

/** A user's entries into a journey, newest first. */
export async function findEntries(db: Queryable, journeyId: string, userId: string): Promise<EntryRow[]> {
  const result = await db.query<EntryRow>(
    `SELECT entry_no AS "entryNo", trigger_id AS "triggerId", version, workflow_id AS "workflowId", entered_at AS "enteredAt"
     FROM journey_entries WHERE journey_id = $1 AND user_id = $2 ORDER BY entry_no DESC`,
    [journeyId, userId],
  );
  return result.rows;
}
