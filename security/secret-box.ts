import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for small secrets at rest (destination credentials). The key id travels with the
 * ciphertext so keys can be rotated: encrypt with the newest, decrypt with whichever is named.
 */
export interface SecretKey {
  id: string;
  key: Buffer;
}

export interface SecretBox {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  keyId: string;
}

/** `SOJOURN_SECRET_KEY` may be 32 bytes in base64 or hex, or any passphrase (hashed to 32 bytes). */
export function keyFromText(id: string, text: string): SecretKey {
  const b64 = Buffer.from(text, 'base64');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text) && b64.length === 32) return { id, key: b64 };
  if (/^[0-9a-fA-F]{64}$/.test(text)) return { id, key: Buffer.from(text, 'hex') };
  return { id, key: createHash('sha256').update(text).digest() };
}

export function createSecretBox(keys: readonly SecretKey[]): SecretBox {
  const current = keys[0];
  if (!current) throw new Error('at least one secret key is needed');
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  return {
    keyId: current.id,
    encrypt(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', current.id, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
    },
    decrypt(sealed: string): string {
      const [version, id, iv, tag, data] = sealed.split(':');
      if (version !== 'v1' || !id || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
      const key = byId.get(id);
      if (!key) throw new Error(`secret key "${id}" is not configured`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
