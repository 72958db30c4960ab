/**
 * Issue 7, auth: every route of the real router refuses a request without a key (health, metrics,
 * the OpenAPI document, the docs page and CORS preflights aside); stored keys are created, used and
 * revoked through /v1/keys and the CLI; they are kept as digests only.
 */
import { digestKey } from '../../security/api-keys';
import { listRoutes } from '../../api/openapi/route-list';
import { runKeysCommand } from '../../scripts/keys';
import { startAppUnderTest, type AppUnderTest } from '../helpers/app-under-test';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

let sojourn: TestSojourn;
let api: AppUnderTest;

beforeAll(async () => {
  sojourn = await startSojourn();
  api = await startAppUnderTest(sojourn);
});
afterAll(async () => {
  await api?.close();
  await sojourn?.stop();
});

const PUBLIC = new Set(['GET /healthz', 'GET /metrics', 'GET /openapi.json', 'GET /docs']);
const isPreflight = (method: string, path: string) => method === 'OPTIONS' && path.startsWith('/codec/');

function concrete(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => `probe_${name}`);
}

test('the router has the routes this test is about (management, keys, codec)', () => {
  const routes = listRoutes(api.app).map((r) => `${r.method} ${r.path}`);
  expect(routes).toEqual(
    expect.arrayContaining([
      'POST /v1/destinations',
      'GET /v1/journeys/:id',
      'POST /v1/keys',
      'DELETE /v1/keys/:id',
      'POST /codec/decode',
      'POST /codec/t/:token/decode',
    ]),
  );
  expect(routes.length).toBeGreaterThan(15);
});

test('no route answers without a key, or with a wrong one, whatever its kind', async () => {
  const routes = listRoutes(api.app).filter(
    (r) => !PUBLIC.has(`${r.method} ${r.path}`) && !isPreflight(r.method, r.path),
  );
  const badCredentials: Array<Record<string, string>> = [
    {},
    { authorization: 'Bearer wrong-key' },
    { authorization: `Basic ${Buffer.from('wrong-key:').toString('base64')}` },
    // the other kind's valid key: a write key is no management key, and the reverse
    { authorization: `Basic ${Buffer.from(`${sojourn.config.apiKey}:`).toString('base64')}` },
    { authorization: `Bearer ${sojourn.config.writeKey}` },
    { authorization: 'Bearer' },
    { authorization: 'Basic !!!notbase64' },
  ];
  const answered: string[] = [];
  for (const route of routes) {
    for (const headers of badCredentials) {
      // A valid management key must not open ingestion, nor a write key management.
      const isIngestion = ['/v1/identify', '/v1/track', '/v1/batch'].includes(route.path);
      if (
        isIngestion &&
        headers.authorization === `Basic ${Buffer.from(`${sojourn.config.apiKey}:`).toString('base64')}`
      )
        continue;
      const res = await fetch(`${api.url}${concrete(route.path)}`, {
        method: route.method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}',
      });
      if (res.status !== 401)
        answered.push(`${route.method} ${route.path} with ${JSON.stringify(headers)} → ${res.status}`);
      else expect((await res.json()).error.code).toBe('unauthorized');
    }
  }
  expect(answered).toEqual([]);
});

test('public routes answer without a key', async () => {
  for (const path of ['/healthz', '/metrics', '/openapi.json', '/docs']) {
    expect((await fetch(`${api.url}${path}`)).status).toBe(200);
  }
});

test('stored keys: created through /v1/keys, accepted, listed without the key, revoked at once', async () => {
  const created = await sojourn.call('POST', '/v1/keys', { kind: 'management', name: 'CI' });
  expect(created.status).toBe(201);
  const { id, key } = created.body as { id: string; key: string };
  expect(key).toMatch(/^sk_[A-Za-z0-9_-]{40,}$/);

  const asNewKey = (path: string, init: RequestInit = {}) =>
    fetch(`${api.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
    });
  expect((await asNewKey('/v1/catalog?kind=list')).status).toBe(200);

  // Stored as a SHA-256 digest only: neither the key nor anything but its short prefix is in the table.
  const { rows } = await sojourn.db.query('SELECT * FROM api_keys WHERE id = $1', [id]);
  expect(Buffer.compare(rows[0].digest, digestKey(key))).toBe(0);
  expect(JSON.stringify(rows[0])).not.toContain(key);
  expect(key.startsWith(rows[0].prefix)).toBe(true);

  const listed = await sojourn.call('GET', '/v1/keys');
  expect(listed.body.keys.find((k: { id: string }) => k.id === id)).toMatchObject({
    kind: 'management',
    name: 'CI',
    revokedAt: null,
  });
  expect(JSON.stringify(listed.body)).not.toContain(key);

  const revoked = await asNewKey(`/v1/keys/${id}`, { method: 'DELETE' });
  expect(revoked.status).toBe(200);
  expect((await revoked.json()).revokedAt).not.toBeNull();
  expect((await asNewKey('/v1/catalog')).status).toBe(401);
  // The bootstrap key from the environment keeps working.
  expect((await sojourn.call('GET', '/v1/keys')).status).toBe(200);
  expect((await sojourn.call('DELETE', '/v1/keys/key_doesnotexist')).status).toBe(404);
  expect((await sojourn.call('POST', '/v1/keys', { kind: 'root', name: 'x' })).status).toBe(400);
});

test('stored write keys open ingestion as the HTTP Basic user name, and nothing else', async () => {
  const created = await sojourn.call('POST', '/v1/keys', { kind: 'write', name: 'web app' });
  const key = created.body.key as string;
  expect(key).toMatch(/^wk_/);
  const basic = {
    authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
    'content-type': 'application/json',
  };
  const tracked = await fetch(`${api.url}/v1/track`, {
    method: 'POST',
    headers: basic,
    body: JSON.stringify({ userId: 'u_wk', event: 'Signed Up' }),
  });
  expect(tracked.status).toBe(200);
  expect((await fetch(`${api.url}/v1/catalog`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(
    401,
  );
  // Revoked through the same API process: effective at once (another replica's cache holds it up to 5 s).
  const revoke = await fetch(`${api.url}/v1/keys/${created.body.id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${sojourn.config.apiKey}` },
  });
  expect(revoke.status).toBe(200);
  const after = await fetch(`${api.url}/v1/track`, {
    method: 'POST',
    headers: basic,
    body: JSON.stringify({ userId: 'u_wk', event: 'Signed Up' }),
  });
  expect(after.status).toBe(401);
});

test('the CLI creates, lists and revokes keys', async () => {
  const lines: string[] = [];
  expect(
    await runKeysCommand(['create', 'write', 'from', 'cli'], sojourn.config.databaseUrl, (l) =>
      lines.push(l),
    ),
  ).toBe(0);
  const key = lines.find((l) => l.startsWith('key: '))?.slice(5) ?? '';
  const id = /created write key (key_\w+)/.exec(lines[0] ?? '')?.[1] ?? '';
  expect(key).toMatch(/^wk_/);
  lines.length = 0;
  expect(await runKeysCommand(['list'], sojourn.config.databaseUrl, (l) => lines.push(l))).toBe(0);
  expect(lines.join('\n')).toContain(id);
  expect(lines.join('\n')).not.toContain(key);
  expect(await runKeysCommand(['revoke', id], sojourn.config.databaseUrl, () => undefined)).toBe(0);
  const { rows } = await sojourn.db.query('SELECT revoked_at FROM api_keys WHERE id = $1', [id]);
  expect(rows[0].revoked_at).not.toBeNull();
  expect(await runKeysCommand(['create', 'root', 'x'], sojourn.config.databaseUrl, () => undefined)).toBe(2);
});
