import type { Queryable } from '../db/queryable';
import type { SecretBox } from './secret-box';

/**
 * Key rotation, second half: re-encrypts every destination's secret settings with the current key,
 * after which the old key can leave SOJOURN_OLD_SECRET_KEYS. Rows already on the current key are
 * left alone, so running it twice is harmless.
 */
export async function resealDestinationSecrets(db: Queryable, box: SecretBox): Promise<number> {
  const { rows } = await db.query<{ id: string; sealed: string }>(
    'SELECT id, settings_secret AS sealed FROM destinations WHERE settings_secret IS NOT NULL',
  );
  let count = 0;
  for (const row of rows) {
    if (row.sealed.split(':')[1] === box.keyId) continue;
    await db.query(
      'UPDATE destinations SET settings_secret = $1, updated_at = now() WHERE id = $2 AND settings_secret = $3',
      [box.encrypt(box.decrypt(row.sealed)), row.id, row.sealed],
    );
    count++;
  }
  return count;
}
