import type { Subscription } from '@segment/actions-core';
import type { Queryable } from './queryable';

export interface DestinationRow {
  id: string;
  name: string;
  slug: string;
  /** Settings that are not secret; secret ones are only in `settingsSecret`, encrypted. */
  settings: Record<string, unknown>;
  settingsSecret: string | null;
  subscriptions: Subscription[] | null;
  /** Requests per second; null: the vendor default (destinations/rate-limits.ts); 0: unlimited. */
  rateLimit: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, name, slug, settings, settings_secret AS "settingsSecret", subscriptions, rate_limit AS "rateLimit",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function insertDestination(
  db: Queryable,
  row: Pick<DestinationRow, 'id' | 'name' | 'slug' | 'settings' | 'settingsSecret' | 'subscriptions'> & {
    rateLimit?: number | null;
  },
): Promise<DestinationRow> {
  const result = await db.query<DestinationRow>(
    `INSERT INTO destinations (id, name, slug, settings, settings_secret, subscriptions, rate_limit)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [
      row.id,
      row.name,
      row.slug,
      row.settings,
      row.settingsSecret,
      row.subscriptions === null ? null : JSON.stringify(row.subscriptions),
      row.rateLimit ?? null,
    ],
  );
  return result.rows[0] as DestinationRow;
}

/** Changes what is given; `updated_at` moves. Returns the row as stored, or undefined if there is none. */
export async function updateDestination(
  db: Queryable,
  id: string,
  change: Partial<
    Pick<DestinationRow, 'name' | 'settings' | 'settingsSecret' | 'subscriptions' | 'rateLimit'>
  >,
): Promise<DestinationRow | undefined> {
  const columns: Record<keyof typeof change, string> = {
    name: 'name',
    settings: 'settings',
    settingsSecret: 'settings_secret',
    subscriptions: 'subscriptions',
    rateLimit: 'rate_limit',
  };
  const sets: string[] = [];
  const values: unknown[] = [id];
  for (const [key, column] of Object.entries(columns) as Array<[keyof typeof change, string]>) {
    if (!(key in change)) continue;
    const value = change[key];
    values.push(key === 'subscriptions' && value !== null ? JSON.stringify(value) : value);
    sets.push(`${column} = $${values.length}`);
  }
  const result = await db.query<DestinationRow>(
    `UPDATE destinations SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
    values,
  );
  return result.rows[0];
}

export async function findDestination(db: Queryable, id: string): Promise<DestinationRow | undefined> {
  const result = await db.query<DestinationRow>(`SELECT ${COLUMNS} FROM destinations WHERE id = $1`, [id]);
  return result.rows[0];
}

export async function findDestinations(db: Queryable, ids: readonly string[]): Promise<DestinationRow[]> {
  const result = await db.query<DestinationRow>(`SELECT ${COLUMNS} FROM destinations WHERE id = ANY($1)`, [
    ids,
  ]);
  return result.rows;
}

export async function listDestinations(db: Queryable): Promise<DestinationRow[]> {
  const result = await db.query<DestinationRow>(`SELECT ${COLUMNS} FROM destinations ORDER BY created_at`);
  return result.rows;
}
