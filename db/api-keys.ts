import type { Queryable } from './queryable';

export type KeyKind = 'management' | 'write';

export interface ApiKeyRow {
  id: string;
  kind: KeyKind;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const COLUMNS = `id, kind, name, prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

export async function insertApiKey(
  db: Queryable,
  key: { id: string; kind: KeyKind; name: string; prefix: string; digest: Buffer },
): Promise<ApiKeyRow> {
  const { rows } = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (id, kind, name, prefix, digest) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [key.id, key.kind, key.name, key.prefix, key.digest],
  );
  return rows[0] as ApiKeyRow;
}

export async function listApiKeys(db: Queryable): Promise<ApiKeyRow[]> {
  const { rows } = await db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`);
  return rows;
}

/** Marks the key revoked (idempotent); undefined when no such key exists. */
export async function revokeApiKey(db: Queryable, id: string): Promise<ApiKeyRow | undefined> {
  const { rows } = await db.query<ApiKeyRow>(
    `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0];
}

/** The live key of this kind with this digest, if any. */
export async function findLiveKeyByDigest(
  db: Queryable,
  kind: KeyKind,
  digest: Buffer,
): Promise<{ id: string; digest: Buffer } | undefined> {
  const { rows } = await db.query<{ id: string; digest: Buffer }>(
    'SELECT id, digest FROM api_keys WHERE digest = $1 AND kind = $2 AND revoked_at IS NULL',
    [digest, kind],
  );
  return rows[0];
}

export async function touchApiKey(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]);
}
