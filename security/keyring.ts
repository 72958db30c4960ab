import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { keyFromText, type SecretKey } from './secret-box';

const ID_PREFIX = /^([A-Za-z0-9_-]{1,32}):(.+)$/;

/**
 * `key` or `id:key`. The id is what ciphertexts are tagged with, so a rotated-in key needs an id of
 * its own (`SOJOURN_SECRET_KEY=k2:<new>` with `SOJOURN_OLD_SECRET_KEYS=k1:<old>`). A bare key gets
 * `defaultId`, which keeps data sealed before ids could be chosen readable.
 */
export function parseKey(text: string, defaultId: string): SecretKey {
  const match = ID_PREFIX.exec(text.trim());
  return match ? keyFromText(match[1] as string, match[2] as string) : keyFromText(defaultId, text.trim());
}

/** `id:key,id:key`: every old key must name its id, else nothing could tell them apart. */
export function parseOldKeys(text: string | undefined, variable: string): SecretKey[] {
  if (text === undefined) return [];
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = ID_PREFIX.exec(part);
      if (!match) throw new Error(`${variable}: each entry must be "id:key" (got an entry without an id)`);
      return keyFromText(match[1] as string, match[2] as string);
    });
}

/** Current key first, then the old ones; an id used twice is a configuration mistake worth stopping for. */
export function keyring(current: SecretKey, old: SecretKey[], variable: string): SecretKey[] {
  const keys = [current, ...old];
  const ids = new Set<string>();
  for (const key of keys) {
    if (ids.has(key.id)) throw new Error(`${variable}: key id "${key.id}" is used by more than one key`);
    ids.add(key.id);
  }
  return keys;
}

/** A random 32-byte key created once under the data dir, so a dev stack needs no configuration. */
export function devKeyText(dataDir: string, fileName: string): string {
  const file = path.join(dataDir, fileName);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process (API and worker start together) created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return fs.readFileSync(file, 'utf8').trim();
}
