import { randomBytes } from 'node:crypto';
import { createSecretBox, keyFromText, type SecretKey } from '../../security/secret-box';

const k1: SecretKey = { id: 'k1', key: randomBytes(32) };
const k2: SecretKey = { id: 'k2', key: randomBytes(32) };

/** Flips one bit of a base64 field of a sealed secret. */
function tamper(sealed: string, field: 2 | 3 | 4): string {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[field] ?? '', 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[field] = bytes.toString('base64');
  return parts.join(':');
}

describe('createSecretBox', () => {
  it('round-trips text, including empty and non-ASCII text', () => {
    const box = createSecretBox([k1]);
    for (const plain of ['{"apiKey":"sk_live_123"}', '', 'päss wörd 🔑', 'x'.repeat(10_000)]) {
      expect(box.decrypt(box.encrypt(plain))).toBe(plain);
    }
  });

  it('does not store the plain text and uses a fresh IV each time', () => {
    const box = createSecretBox([k1]);
    const a = box.encrypt('sk_live_123');
    const b = box.encrypt('sk_live_123');
    expect(a).not.toContain('sk_live_123');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1:k1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/);
  });

  it.each([2, 3, 4] as const)('detects tampering with field %d (iv, tag, data)', (field) => {
    const box = createSecretBox([k1]);
    const sealed = box.encrypt('sk_live_123');
    expect(() => box.decrypt(tamper(sealed, field))).toThrow();
  });

  it('fails to open a secret sealed under another key with the same id', () => {
    const sealed = createSecretBox([k1]).encrypt('sk_live_123');
    const impostor = createSecretBox([{ id: 'k1', key: randomBytes(32) }]);
    expect(() => impostor.decrypt(sealed)).toThrow();
  });

  it('refuses an unknown key id, naming it', () => {
    const sealed = createSecretBox([k2]).encrypt('sk_live_123');
    expect(() => createSecretBox([k1]).decrypt(sealed)).toThrow('secret key "k2" is not configured');
  });

  it('refuses text that is not a sealed secret', () => {
    const box = createSecretBox([k1]);
    for (const text of ['', 'sk_live_123', 'v2:k1:a:b:c', 'v1:k1:a:b', 'v1::a:b:c']) {
      expect(() => box.decrypt(text)).toThrow('not a sealed secret');
    }
  });

  it('rotates keys: encrypts with the first key, still decrypts with older listed keys', () => {
    const before = createSecretBox([k1]);
    const old = before.encrypt('old secret');
    const rotated = createSecretBox([k2, k1]);
    expect(rotated.keyId).toBe('k2');
    expect(rotated.decrypt(old)).toBe('old secret');
    const fresh = rotated.encrypt('new secret');
    expect(fresh.startsWith('v1:k2:')).toBe(true);
    expect(() => before.decrypt(fresh)).toThrow('secret key "k2" is not configured');
    // Once k1 is dropped, secrets sealed under it no longer open.
    expect(() => createSecretBox([k2]).decrypt(old)).toThrow('secret key "k1" is not configured');
  });

  it('needs at least one key', () => {
    expect(() => createSecretBox([])).toThrow();
  });
});

describe('keyFromText', () => {
  it('takes 32 bytes in base64 as they are', () => {
    const raw = randomBytes(32);
    expect(keyFromText('k', raw.toString('base64')).key.equals(raw)).toBe(true);
    expect(keyFromText('k', raw.toString('base64').replace(/=$/, '')).key.equals(raw)).toBe(true);
  });

  it('takes 32 bytes in hex as they are', () => {
    const raw = randomBytes(32);
    expect(keyFromText('k', raw.toString('hex')).key.equals(raw)).toBe(true);
  });

  it('hashes any other text to a 32-byte key, deterministically', () => {
    const a = keyFromText('k', 'correct horse battery staple');
    expect(a.key).toHaveLength(32);
    expect(a.key.equals(keyFromText('k', 'correct horse battery staple').key)).toBe(true);
    expect(a.key.equals(keyFromText('k', 'correct horse battery stapler').key)).toBe(false);
  });

  it("keeps the id, and boxes from the same text open each other's secrets", () => {
    const key = keyFromText('prod-2024', 'passphrase');
    expect(key.id).toBe('prod-2024');
    const sealed = createSecretBox([key]).encrypt('x');
    expect(createSecretBox([keyFromText('prod-2024', 'passphrase')]).decrypt(sealed)).toBe('x');
  });
});
