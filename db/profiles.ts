import type { Queryable } from './queryable';

export interface ProfileIdentifier {
  type: string;
  value: string;
  firstSeen: Date;
}

export interface Profile {
  userId: string;
  traits: Record<string, unknown>;
  identifiers: ProfileIdentifier[];
}

/**
 * Merges traits into a profile (creating it) and records its `user_id` identifier. Many users at once,
 * in one statement each, because API entries come in thousands.
 */
export async function upsertProfiles(
  db: Queryable,
  users: ReadonlyArray<{ userId: string; traits?: Record<string, unknown> }>,
  recordUserIds = true,
): Promise<void> {
  if (users.length === 0) return;
  const ids = users.map((u) => u.userId);
  const traits = users.map((u) => JSON.stringify(u.traits ?? {}));
  await db.query(
    `INSERT INTO profiles (user_id, traits)
     SELECT u.user_id, u.traits::jsonb FROM unnest($1::text[], $2::text[]) AS u(user_id, traits)
     ON CONFLICT (user_id) DO UPDATE SET traits = profiles.traits || EXCLUDED.traits, updated_at = now()`,
    [ids, traits],
  );
  if (!recordUserIds) return;
  await db.query(
    `INSERT INTO profile_identifiers (user_id, type, value)
     SELECT u, 'user_id', u FROM unnest($1::text[]) AS u ON CONFLICT DO NOTHING`,
    [ids],
  );
}

export async function addIdentifiers(
  db: Queryable,
  userId: string,
  identifiers: ReadonlyArray<{ type: string; value: string }>,
): Promise<void> {
  for (const identifier of identifiers) {
    await db.query(
      `INSERT INTO profile_identifiers (user_id, type, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [userId, identifier.type, identifier.value],
    );
  }
}

export async function traitsOf(db: Queryable, userId: string): Promise<Record<string, unknown>> {
  const result = await db.query<{ traits: Record<string, unknown> }>('SELECT traits FROM profiles WHERE user_id = $1', [userId]);
  return result.rows[0]?.traits ?? {};
}

export async function findProfile(db: Queryable, userId: string): Promise<Profile | undefined> {
  const profile = await db.query<{ traits: Record<string, unknown> }>('SELECT traits FROM profiles WHERE user_id = $1', [
    userId,
  ]);
  const row = profile.rows[0];
  if (!row) return undefined;
  const identifiers = await db.query<ProfileIdentifier>(
    `SELECT type, value, first_seen AS "firstSeen" FROM profile_identifiers WHERE user_id = $1 ORDER BY first_seen, value`,
    [userId],
  );
  return { userId, traits: row.traits, identifiers: identifiers.rows };
}
