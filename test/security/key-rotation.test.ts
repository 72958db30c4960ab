/**
 * Issue 7, rotation: destination secrets and workflow payloads are sealed with the current key and
 * tagged with its id; earlier keys (SOJOURN_OLD_SECRET_KEYS / SOJOURN_OLD_CODEC_KEYS, "id:key,…")
 * keep old data readable until it is re-sealed.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Queryable } from '../../db/queryable';
import { codecTokenFor, payloadCodecFor } from '../../security/codec-keys';
import { secretBoxFor } from '../../security/keys';
import { resealDestinationSecrets } from '../../security/reseal';

const key = () => randomBytes(32).toString('base64');
const OLD = key();
const NEW = key();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sojourn-rotation-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

test('destination secrets: the new key seals, the old one still opens what it sealed', () => {
  const before = secretBoxFor({ dataDir, secretKey: `k1:${OLD}` });
  const sealed = before.encrypt('vendor-token');
  expect(sealed.split(':')[1]).toBe('k1');

  const rotated = secretBoxFor({ dataDir, secretKey: `k2:${NEW}`, oldSecretKeys: `k1:${OLD}` });
  expect(rotated.decrypt(sealed)).toBe('vendor-token');
  expect(rotated.encrypt('x').split(':')[1]).toBe('k2');

  const withoutOld = secretBoxFor({ dataDir, secretKey: `k2:${NEW}` });
  expect(() => withoutOld.decrypt(sealed)).toThrow(/"k1" is not configured/);
  // A bare key keeps the id it always had, so data sealed before ids could be chosen stays readable.
  expect(secretBoxFor({ dataDir, secretKey: OLD }).decrypt(sealed)).toBe('vendor-token');
});

test('configuration mistakes stop the process with a clear message', () => {
  expect(() => secretBoxFor({ dataDir, secretKey: `k1:${NEW}`, oldSecretKeys: OLD })).toThrow(/"id:key"/);
  expect(() => secretBoxFor({ dataDir, secretKey: `k1:${NEW}`, oldSecretKeys: `k1:${OLD}` })).toThrow(
    /used by more than one key/,
  );
});

test('reseal-secrets moves every row to the current key, once', async () => {
  const old = secretBoxFor({ dataDir, secretKey: `k1:${OLD}` });
  const rows = new Map([
    ['dst_a', old.encrypt('{"api_key":"a"}')],
    ['dst_b', old.encrypt('{"api_key":"b"}')],
  ]);
  const db: Queryable = {
    async query(text: string, values?: unknown[]) {
      if (text.startsWith('SELECT'))
        return { rows: [...rows].map(([id, sealed]) => ({ id, sealed })) } as never;
      const [sealed, id, previous] = values as [string, string, string];
      if (rows.get(id) === previous) rows.set(id, sealed);
      return { rows: [] } as never;
    },
  };
  const box = secretBoxFor({ dataDir, secretKey: `k2:${NEW}`, oldSecretKeys: `k1:${OLD}` });
  expect(await resealDestinationSecrets(db, box)).toBe(2);
  expect([...rows.values()].map((s) => s.split(':')[1])).toEqual(['k2', 'k2']);
  expect(secretBoxFor({ dataDir, secretKey: `k2:${NEW}` }).decrypt(rows.get('dst_a') as string)).toBe(
    '{"api_key":"a"}',
  );
  expect(await resealDestinationSecrets(db, box)).toBe(0);
});

test('payload codec: key id in metadata, old keys decode, unknown keys fail loudly', async () => {
  const before = payloadCodecFor({
    dataDir,
    codecKey: `c1:${OLD}`,
    oldCodecKeys: undefined,
    codecToken: undefined,
  });
  const payload = {
    metadata: { encoding: Buffer.from('json/plain') },
    data: Buffer.from('{"email":"a@b.c"}'),
  };
  const [sealed] = await before.encode([payload]);
  expect(Buffer.from(sealed?.metadata?.['encryption-key-id'] ?? []).toString()).toBe('c1');
  expect(Buffer.from(sealed?.data ?? []).toString('latin1')).not.toContain('a@b.c');

  const rotated = payloadCodecFor({
    dataDir,
    codecKey: `c2:${NEW}`,
    oldCodecKeys: `c1:${OLD}`,
    codecToken: undefined,
  });
  const [opened] = await rotated.decode([sealed as never]);
  expect(Buffer.from(opened?.data ?? []).toString()).toBe('{"email":"a@b.c"}');
  await expect(
    payloadCodecFor({
      dataDir,
      codecKey: `c2:${NEW}`,
      oldCodecKeys: undefined,
      codecToken: undefined,
    }).decode([sealed as never]),
  ).rejects.toThrow(/"c1" is not configured/);
});

test('the UI codec token is stable per codec key, and differs between keys', () => {
  const a = codecTokenFor({ dataDir, codecKey: OLD, oldCodecKeys: undefined, codecToken: undefined });
  expect(a).toBe(codecTokenFor({ dataDir, codecKey: OLD, oldCodecKeys: undefined, codecToken: undefined }));
  expect(a).not.toBe(
    codecTokenFor({ dataDir, codecKey: NEW, oldCodecKeys: undefined, codecToken: undefined }),
  );
  expect(codecTokenFor({ dataDir, codecKey: OLD, oldCodecKeys: undefined, codecToken: 'chosen' })).toBe(
    'chosen',
  );
});
