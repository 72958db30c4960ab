import type { FitQuality, PredictiveModel } from '../traits/predictive-fit';
import type { TraitDefinition, TraitType } from '../traits/definitions';
import type { Queryable } from './queryable';

/** A trait definition as stored (table `traits`, migration 006). */
export interface TraitRow {
  key: string;
  type: TraitType;
  definition: TraitDefinition;
  status: string;
  statusMessage: string | null;
  backfillThrough: number | null;
  model: PredictiveModel | null;
  quality: FitQuality | null;
  fittedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `key, type, definition, status, status_message AS "statusMessage",
  backfill_through::float8 AS "backfillThrough", model, quality, fitted_at AS "fittedAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Inserts a definition; false when the key is taken. */
export async function insertTrait(
  db: Queryable,
  row: {
    key: string;
    type: TraitType;
    definition: TraitDefinition;
    status: string;
    backfillThrough?: number | null;
  },
): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO traits (key, type, definition, status, backfill_through) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (key) DO NOTHING`,
    [row.key, row.type, row.definition, row.status, row.backfillThrough ?? null],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function findTrait(db: Queryable, key: string): Promise<TraitRow | undefined> {
  const result = await db.query<TraitRow>(`SELECT ${COLUMNS} FROM traits WHERE key = $1`, [key]);
  return result.rows[0];
}

export async function findTraits(db: Queryable, keys: readonly string[]): Promise<TraitRow[]> {
  if (keys.length === 0) return [];
  const result = await db.query<TraitRow>(`SELECT ${COLUMNS} FROM traits WHERE key = ANY($1::text[])`, [
    keys,
  ]);
  return result.rows;
}

export async function listTraits(db: Queryable, type?: TraitType): Promise<TraitRow[]> {
  const result = await db.query<TraitRow>(
    `SELECT ${COLUMNS} FROM traits WHERE $1::text IS NULL OR type = $1 ORDER BY key`,
    [type ?? null],
  );
  return result.rows;
}

/** Computed traits an ingested call may change: those on its event name, and those on any call. */
export async function computedTraitsFor(db: Queryable, event: string | null): Promise<TraitRow[]> {
  const result = await db.query<TraitRow>(
    `SELECT ${COLUMNS} FROM traits
     WHERE type = 'computed' AND status <> 'failed'
       AND (definition->'computation'->>'event' IS NULL OR definition->'computation'->>'event' = $1)`,
    [event],
  );
  return result.rows;
}

export async function setTraitStatus(
  db: Queryable,
  key: string,
  status: string,
  message: string | null = null,
): Promise<void> {
  await db.query(`UPDATE traits SET status = $2, status_message = $3, updated_at = now() WHERE key = $1`, [
    key,
    status,
    message,
  ]);
}

export async function saveFit(
  db: Queryable,
  key: string,
  fit: { model: PredictiveModel; quality: FitQuality & Record<string, unknown>; fittedAt: Date },
): Promise<void> {
  await db.query(
    `UPDATE traits SET status = 'ready', status_message = NULL, model = $2, quality = $3, fitted_at = $4, updated_at = now()
     WHERE key = $1`,
    [key, fit.model, fit.quality, fit.fittedAt],
  );
}
