import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  findLiveKeyByDigest,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
  type ApiKeyRow,
  type KeyKind,
} from '../db/api-keys';
import type { Queryable } from '../db/queryable';

/**
 * Keys are 32 random bytes (256 bits), so a plain SHA-256 digest is the right way to store them: a
 * slow password hash (bcrypt, scrypt) only helps against guessing low-entropy secrets, and nobody can
 * enumerate 2^256 keys. A fast, deterministic digest also lets a request find its key with one
 * indexed lookup instead of trying a salted hash against every stored key.
 */
const PREFIX: Record<KeyKind, string> = { management: 'sk_', write: 'wk_' };

export function digestKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Constant-time comparison: digests are equal-length, so timing reveals nothing about the key. */
export function sameKey(candidate: string, expected: string): boolean {
  return timingSafeEqual(digestKey(candidate), digestKey(expected));
}

function newKeyId(): string {
  return `key_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').toLowerCase()}`;
}

export interface CreatedKey extends ApiKeyRow {
  /** The key itself: shown once, never stored. */
  key: string;
}

export interface KeyVerifier {
  /** The id of the live key of this kind, or undefined. */
  verify(kind: KeyKind, candidate: string): Promise<string | undefined>;
}

const CACHE_MS = 5_000;
const CACHE_MAX = 1_000;

/**
 * Stored keys. Verified keys are cached for a few seconds (ingestion checks a key on every call);
 * a revocation through this process takes effect at once, one through another replica within
 * `CACHE_MS`.
 */
export class KeyStore implements KeyVerifier {
  private readonly cache = new Map<string, { id: string; at: number }>();

  constructor(private readonly db: Queryable) {}

  async create(kind: KeyKind, name: string): Promise<CreatedKey> {
    const key = `${PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
    const row = await insertApiKey(this.db, {
      id: newKeyId(),
      kind,
      name,
      prefix: key.slice(0, 10),
      digest: digestKey(key),
    });
    return { ...row, key };
  }

  list(): Promise<ApiKeyRow[]> {
    return listApiKeys(this.db);
  }

  async revoke(id: string): Promise<ApiKeyRow | undefined> {
    const row = await revokeApiKey(this.db, id);
    for (const [digest, entry] of this.cache) if (entry.id === id) this.cache.delete(digest);
    return row;
  }

  async verify(kind: KeyKind, candidate: string): Promise<string | undefined> {
    // Keys never contain spaces or control characters; skip the database for what cannot be one.
    if (candidate.length < 8 || candidate.length > 200 || !/^[\x21-\x7e]+$/.test(candidate)) return undefined;
    const digest = digestKey(candidate);
    const cacheKey = `${kind}:${digest.toString('base64')}`;
    const hit = this.cache.get(cacheKey);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.id;
    const row = await findLiveKeyByDigest(this.db, kind, digest);
    // The lookup matched on the digest already; comparing again in constant time costs nothing and
    // keeps the final decision independent of how the database compares bytes.
    if (!row || !timingSafeEqual(row.digest, digest)) return undefined;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(cacheKey, { id: row.id, at: Date.now() });
    void touchApiKey(this.db, row.id).catch(() => undefined); // bookkeeping only: never fail a request on it
    return row.id;
  }
}
