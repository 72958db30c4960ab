import { startSojourn, type TestSojourn } from '../helpers/sojourn';

let sojourn: TestSojourn;
let destinationId = '';
let draftJourneyId = '';

const TABLES = ['destinations', 'journeys', 'journey_versions', 'profiles', 'profile_identifiers', 'journey_entries', 'deliveries'];

async function snapshot(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const { rows } = await sojourn.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(rows[0]?.n);
  }
  return counts;
}

const validDestination = () => ({
  name: 'Hook',
  destination: 'webhook',
  settings: {},
  subscriptions: [{ subscribe: 'type = "track"', partnerAction: 'send', mapping: { url: 'http://127.0.0.1:9/x', method: 'POST', data: { '@path': '$.' } } }],
});

const validJourney = () => ({
  name: 'Validation',
  entry: { type: 'api' },
  start: 'send',
  steps: [
    { id: 'send', type: 'send', name: 'Step', destinations: [{ destinationId, call: 'track' }], next: 'end' },
    { id: 'end', type: 'exit' },
  ],
});

beforeAll(async () => {
  sojourn = await startSojourn();
  destinationId = (await sojourn.call('POST', '/v1/destinations', validDestination())).body.id;
  draftJourneyId = (await sojourn.call('POST', '/v1/journeys', validJourney())).body.id;
  expect(destinationId).toMatch(/^dst_/);
  expect(draftJourneyId).toMatch(/^jny_/);
});
afterAll(() => sojourn?.stop());

type Row = [label: string, method: string, path: () => string, body: unknown, status: number, messagePart: RegExp, raw?: string];

const rows: Row[] = [
  ['destination: missing name', 'POST', () => '/v1/destinations', { destination: 'webhook' }, 400, /name/],
  ['destination: wrong type of settings', 'POST', () => '/v1/destinations', { ...validDestination(), settings: 'x' }, 400, /settings/],
  ['destination: unknown slug', 'POST', () => '/v1/destinations', { ...validDestination(), destination: 'no-such-vendor' }, 400, /not in the catalog/],
  ['destination: slug with a path in it', 'POST', () => '/v1/destinations', { ...validDestination(), destination: '../webhook' }, 400, /not in the catalog/],
  ['destination: unknown action', 'POST', () => '/v1/destinations', { ...validDestination(), subscriptions: [{ subscribe: 'type = "track"', partnerAction: 'nope' }] }, 400, /not an action/],
  ['destination: bad FQL', 'POST', () => '/v1/destinations', { ...validDestination(), subscriptions: [{ subscribe: 'type = = "x', partnerAction: 'send' }] }, 400, /subscribe/],
  ['destination: webhook without subscriptions', 'POST', () => '/v1/destinations', { name: 'x', destination: 'webhook' }, 400, /no presets/],
  ['destination: missing required setting', 'POST', () => '/v1/destinations', { name: 'b', destination: 'braze', settings: {} }, 400, /settings/],
  ['destination: malformed JSON', 'POST', () => '/v1/destinations', undefined, 400, /not valid JSON/, '{"name": '],
  ['destination: unknown id', 'GET', () => '/v1/destinations/dst_missing', undefined, 404, /not found/],
  ['catalog: unknown slug', 'GET', () => '/v1/catalog/no-such-vendor', undefined, 404, /not found/],
  ['journey: missing steps', 'POST', () => '/v1/journeys', { name: 'x', entry: { type: 'api' }, start: 'a' }, 400, /steps/],
  ['journey: wrong entry type', 'POST', () => '/v1/journeys', { ...validJourney(), entry: { type: 'telepathy' } }, 400, /entry/],
  ['journey: dangling next', 'POST', () => '/v1/journeys', { ...validJourney(), steps: [{ id: 'send', type: 'send', name: 'S', destinations: [{ destinationId: 'dst_placeholder', call: 'track' }], next: 'nowhere' }] }, 400, /"nowhere", which does not exist/],
  ['journey: a loop', 'POST', () => '/v1/journeys', { ...validJourney(), start: 'a', steps: [{ id: 'a', type: 'delay', duration: '1h', next: 'b' }, { id: 'b', type: 'delay', duration: '1h', next: 'a' }] }, 400, /loop/],
  ['journey: unknown destination', 'POST', () => '/v1/journeys', { ...validJourney(), steps: [{ id: 'send', type: 'send', name: 'S', destinations: [{ destinationId: 'dst_nope', call: 'track' }] }] }, 400, /dst_nope/],
  ['journey: malformed JSON', 'POST', () => '/v1/journeys', undefined, 400, /not valid JSON/, '[1,'],
  ['journey: unknown id', 'GET', () => '/v1/journeys/jny_missing', undefined, 404, /not found/],
  ['publish: unknown id', 'POST', () => '/v1/journeys/jny_missing/publish', undefined, 404, /not found/],
  ['entries: no users', 'POST', () => `/v1/journeys/${draftJourneyId}/entries`, { users: [] }, 400, /users/],
  ['entries: userId a number', 'POST', () => `/v1/journeys/${draftJourneyId}/entries`, { users: [{ userId: 7 }] }, 400, /userId/],
  ['entries: too many users', 'POST', () => `/v1/journeys/${draftJourneyId}/entries`, { users: Array.from({ length: 10_001 }, (_, i) => ({ userId: `u${i}` })) }, 400, /users/],
  ['entries: draft journey', 'POST', () => `/v1/journeys/${draftJourneyId}/entries`, { users: [{ userId: 'u_x' }] }, 409, /draft/],
  ['entries: unknown journey', 'POST', () => '/v1/journeys/jny_missing/entries', { users: [{ userId: 'u_x' }] }, 404, /not found/],
  ['deliveries: bad status', 'GET', () => '/v1/deliveries?status=lost', undefined, 400, /status/],
  ['deliveries: unknown filter', 'GET', () => '/v1/deliveries?colour=red', undefined, 400, /colour|Unrecognized/i],
  ['runs: unknown user', 'GET', () => `/v1/journeys/${draftJourneyId}/runs/nobody`, undefined, 404, /not found/],
  ['unknown route', 'GET', () => '/v1/nothing-here', undefined, 404, /no route/],
];

// Objects, not arrays: jest would take a trailing optional array element's parameter for `done`.
const cases = rows.map(([label, method, path, body, status, messagePart, raw]) => ({ label, method, path, body, status, messagePart, raw }));

test.each(cases)('$label → clear 4xx, database unchanged', async ({ method, path, body, status, messagePart, raw }) => {
  const before = await snapshot();
  const res = await sojourn.call(method, path(), body, raw === undefined ? {} : { raw });
  expect(res.status).toBe(status);
  expect(res.body.error.code).toEqual(expect.any(String));
  expect(res.body.error.message).toMatch(messagePart);
  expect(await snapshot()).toEqual(before);
});

test('management calls without the API key or with a wrong one get 401 and change nothing', async () => {
  const before = await snapshot();
  const missing = await sojourn.call('POST', '/v1/destinations', validDestination(), { auth: false });
  expect(missing.status).toBe(401);
  const wrong = await fetch(`${sojourn.url}/v1/catalog`, { headers: { authorization: 'Bearer wrong' } });
  expect(wrong.status).toBe(401);
  expect(await snapshot()).toEqual(before);
});

test('the catalog lists real destination definitions and the destination hides its secret settings', async () => {
  const catalog = await sojourn.call('GET', '/v1/catalog');
  const slugs = catalog.body.destinations.map((d: { slug: string }) => d.slug);
  expect(slugs).toEqual(expect.arrayContaining(['webhook', 'webhook-audiences', 'braze', 'iterable-lists']));
  expect(catalog.body.destinations.find((d: { slug: string }) => d.slug === 'webhook-audiences').kind).toBe('list');

  const created = await sojourn.call('POST', '/v1/destinations', {
    name: 'Braze',
    destination: 'braze',
    settings: { api_key: 'super-secret-braze-key', app_id: 'app', endpoint: 'https://rest.iad-01.braze.com' },
  });
  expect(created.status).toBe(201);
  expect(JSON.stringify(created.body)).not.toContain('super-secret-braze-key');
  const read = await sojourn.call('GET', `/v1/destinations/${created.body.id}`);
  expect(read.body.settings.api_key).toBe('[redacted]');
  expect(JSON.stringify(read.body)).not.toContain('super-secret-braze-key');
  const { rows } = await sojourn.db.query('SELECT settings, settings_secret FROM destinations WHERE id = $1', [created.body.id]);
  expect(JSON.stringify(rows[0])).not.toContain('super-secret-braze-key');
});
