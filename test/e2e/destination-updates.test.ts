/**
 * Issue 4: a destination changes in place — name, settings (merged key by key, so a secret is
 * rotated alone), subscriptions, rate limit — checked as on create. A bad change is a 4xx and
 * changes nothing; no response ever holds a secret.
 */
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

let sojourn: TestSojourn;
let receiver: Receiver;

const OLD_SECRET = 'PLANTED-old-secret-91f2';
const NEW_SECRET = 'PLANTED-new-secret-3c7d';

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.reply = () => ({ status: 200, body: { ok: true } });
  sojourn = await startSojourn();
});
afterAll(async () => {
  await sojourn?.stop();
  await receiver?.close();
});

const subscriptionsTo = (url: string) => [
  {
    subscribe: 'type = "track"',
    partnerAction: 'send',
    mapping: { url, method: 'POST', data: { '@path': '$.' } },
  },
];

async function createHook(path: string): Promise<string> {
  const created = await sojourn.call('POST', '/v1/destinations', {
    name: 'Hook',
    destination: 'webhook',
    subscriptions: subscriptionsTo(`${receiver.url}${path}`),
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

test('name, subscriptions and rate limit change in place, and the next event uses the new mapping', async () => {
  const id = await createHook('/before');
  const changed = await sojourn.call('PATCH', `/v1/destinations/${id}`, {
    name: 'Renamed',
    rateLimit: 3,
    subscriptions: subscriptionsTo(`${receiver.url}/after`),
  });
  expect(changed.status).toBe(200);
  expect(changed.body).toMatchObject({
    id,
    name: 'Renamed',
    destination: 'webhook',
    rateLimit: { requestsPerSecond: 3, source: 'instance' },
  });
  expect((await sojourn.call('GET', `/v1/destinations/${id}`)).body).toEqual(changed.body);

  const tested = await sojourn.call('POST', `/v1/destinations/${id}/test-event`, { type: 'track' });
  expect(tested.status).toBe(200);
  const paths = receiver.received.map((r) => r.path);
  expect(paths).toContain('/after');
  expect(paths).not.toContain('/before');

  const reset = await sojourn.call('PATCH', `/v1/destinations/${id}`, { rateLimit: null });
  expect(reset.status).toBe(200);
  expect(reset.body.rateLimit.source).not.toBe('instance');
  expect(reset.body.name).toBe('Renamed');
});

test('a secret setting is rotated alone: the other settings stay, the new secret is used, none is returned', async () => {
  const created = await sojourn.call('POST', '/v1/destinations', {
    name: 'Movable Ink',
    destination: 'movable-ink',
    settings: { username: 'mi-user', password: OLD_SECRET, movable_ink_url: `${receiver.url}/mi` },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  const rotated = await sojourn.call('PATCH', `/v1/destinations/${id}`, {
    settings: { password: NEW_SECRET },
  });
  expect(rotated.status).toBe(200);
  expect(rotated.body.settings).toEqual({
    username: created.body.settings.username,
    password: '[redacted]',
    movable_ink_url: `${receiver.url}/mi`,
  });
  expect(JSON.stringify(rotated.body)).not.toContain('PLANTED');

  const tested = await sojourn.call('POST', `/v1/destinations/${id}/test-event`, { type: 'track' });
  expect(tested.status).toBe(200);
  const last = receiver.received.filter((r) => r.path.startsWith('/mi')).at(-1);
  const credentials = Buffer.from(
    String(last?.headers.authorization).replace(/^Basic /, ''),
    'base64',
  ).toString();
  expect(credentials).toBe(`mi-user:${NEW_SECRET}`);
  const { rows } = await sojourn.db.query(
    'SELECT settings::text, settings_secret FROM destinations WHERE id = $1',
    [id],
  );
  expect(JSON.stringify(rows)).not.toContain('PLANTED');
});

test.each([
  { what: 'a new catalog slug', body: { destination: 'braze' }, code: 'invalid_request' },
  { what: 'nothing to change', body: {}, code: 'invalid_request' },
  {
    what: 'an action the definition lacks',
    body: { subscriptions: [{ subscribe: 'type = "track"', partnerAction: 'nope' }] },
    code: 'invalid_request',
  },
  {
    what: 'a private-network URL',
    body: { subscriptions: subscriptionsTo('http://10.0.0.1/x') },
    code: 'unsafe_url',
  },
  { what: 'a negative rate limit', body: { rateLimit: -1 }, code: 'invalid_request' },
  {
    what: 'going back to presets a webhook lacks',
    body: { subscriptions: null },
    code: 'subscriptions_required',
  },
])('$what → 400 $code, nothing changed', async ({ body, code }) => {
  const id = await createHook('/kept');
  const before = await sojourn.call('GET', `/v1/destinations/${id}`);
  const res = await sojourn.call('PATCH', `/v1/destinations/${id}`, body);
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe(code);
  expect((await sojourn.call('GET', `/v1/destinations/${id}`)).body).toEqual(before.body);
});

test('an unknown destination is a 404', async () => {
  const res = await sojourn.call('PATCH', '/v1/destinations/dst_nope', { name: 'x' });
  expect(res.status).toBe(404);
});

test('GET /v1/destinations lists every destination, secrets redacted', async () => {
  const id = await createHook('/listed');
  const res = await sojourn.call('GET', '/v1/destinations');
  expect(res.status).toBe(200);
  const ids = (res.body.destinations as Array<{ id: string }>).map((d) => d.id);
  expect(ids).toContain(id);
  expect(JSON.stringify(res.body)).not.toContain('PLANTED');
});
