import nock from 'nock';
import type { RunState } from '../../workflows/types';
import { createDestination, deliveryRows, enterUsers, publishSendJourney } from '../helpers/journey-fixtures';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

/**
 * Vendor destinations beyond webhook deliver journey events through their own Actions definitions,
 * with their presets (no subscriptions given). nock stands in for the vendors' hosts only; Sojourn's
 * own API, Temporal and PostgreSQL are real.
 */
let sojourn: TestSojourn;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
  sojourn = await startSojourn({ listFlushIntervalMs: 500 });
});
afterAll(async () => {
  await sojourn?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
  // nock patches Node's own http module, which Jest shares between test files run in one process:
  // without this, its interceptor outlives the file and answers later files' requests.
  nock.restore();
});

const BRAZE = 'https://rest.iad-01.braze.com';
const CUSTOMERIO = 'https://track.customer.io';
const ITERABLE = 'https://api.iterable.com';

test('braze (track), customer.io (identify) and iterable-lists (list) receive exactly the vendor requests for journey events', async () => {
  const brazeBodies: unknown[] = [];
  const cioBodies: unknown[] = [];
  const iterableSubscribes: unknown[] = [];
  let createdListName: unknown;
  const braze = nock(BRAZE)
    .matchHeader('authorization', 'Bearer brz-secret-key')
    .post('/users/track', (body) => brazeBodies.push(body) > 0)
    .times(2)
    .reply(201, { message: 'success' });
  const customerio = nock(CUSTOMERIO)
    .matchHeader('authorization', `Basic ${Buffer.from('site-1:cio-secret-key').toString('base64')}`)
    .post('/api/v2/entity', (body) => cioBodies.push(body) > 0)
    .times(2)
    .reply(200, {});
  const iterable = nock(ITERABLE)
    .matchHeader('api-key', 'itb-secret-key')
    .get('/api/lists')
    .reply(200, { lists: [{ id: 1, name: 'someone else’s list' }] })
    .post('/api/lists', (body: { name?: unknown }) => {
      createdListName = body.name;
      return true;
    })
    .reply(200, { listId: 9001 })
    .post('/api/lists/subscribe', (body) => iterableSubscribes.push(body) > 0)
    .times(2)
    .reply(200, { successCount: 1, failCount: 0 });

  const brazeId = await createDestination(sojourn, {
    name: 'Braze',
    destination: 'braze',
    settings: { api_key: 'brz-secret-key', app_id: 'app-1', endpoint: BRAZE },
  });
  const cioId = await createDestination(sojourn, {
    name: 'Customer.io',
    destination: 'customerio',
    settings: { siteId: 'site-1', apiKey: 'cio-secret-key', accountRegion: 'US 🇺🇸' },
  });
  const iterableId = await createDestination(sojourn, {
    name: 'Iterable Lists',
    destination: 'iterable-lists',
    settings: { apiKey: 'itb-secret-key' },
  });
  const journey = await publishSendJourney(
    sojourn,
    'Vendor Journey',
    [
      { destinationId: brazeId, call: 'track' },
      { destinationId: cioId, call: 'identify' },
      { destinationId: iterableId },
    ],
    'VIP users',
  );
  const key = journey.stepKeys.send as string;
  expect(createdListName).toBe(key);

  await enterUsers(sojourn, journey.id, ['v_1', 'v_2']);
  const states = await Promise.all(
    ['v_1', 'v_2'].map(
      (u) => sojourn.temporal.workflow.getHandle(`journey:${journey.id}:${u}`).result() as Promise<RunState>,
    ),
  );
  expect(states.map((s) => s.status)).toEqual(['completed', 'completed']);
  const deadline = Date.now() + 30_000;
  while (
    iterableSubscribes.flatMap((b) => (b as { subscribers: unknown[] }).subscribers).length < 2 &&
    Date.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }

  const enteredAt = (u: string) =>
    states.find((s) => s.userId === u)?.steps.find((s) => s.stepId === 'send')?.enteredAt as string;
  const byUser = <T extends Record<string, unknown>>(bodies: unknown[], pick: (b: T) => string) =>
    Object.fromEntries((bodies as T[]).map((b) => [pick(b), b]));

  const brazeByUser = byUser<{ events: Array<{ external_id: string }> }>(
    brazeBodies,
    (b) => b.events[0]?.external_id ?? '',
  );
  for (const user of ['v_1', 'v_2']) {
    expect(brazeByUser[user]).toEqual({
      events: [
        {
          external_id: user,
          app_id: 'app-1',
          name: 'Audience Entered',
          time: enteredAt(user),
          properties: { audience_key: key, [key]: true },
          _update_existing_only: false,
        },
      ],
    });
  }
  const cioByUser = byUser<{ identifiers: { id: string } }>(cioBodies, (b) => b.identifiers.id);
  for (const user of ['v_1', 'v_2']) {
    expect(cioByUser[user]).toEqual({
      type: 'person',
      action: 'identify',
      attributes: { [key]: true },
      timestamp: Math.floor(Date.parse(enteredAt(user)) / 1000),
      identifiers: { id: user },
    });
  }
  const subscribers = iterableSubscribes.flatMap((b) => {
    expect(b).toEqual({ listId: 9001, subscribers: expect.any(Array) });
    return (b as { subscribers: unknown[] }).subscribers;
  });
  expect(subscribers).toEqual(
    expect.arrayContaining([
      { userId: 'v_1', preferUserId: true },
      { userId: 'v_2', preferUserId: true },
    ]),
  );
  expect(subscribers).toHaveLength(2);
  expect(braze.isDone() && customerio.isDone()).toBe(true);
  expect(iterable.pendingMocks().filter((m) => !m.includes('/api/lists/subscribe'))).toEqual([]);

  // The deliveries log has every attempt, with the vendor's status and credentials redacted.
  const rows = await deliveryRows(sojourn, 'journey_id = $1', [journey.id]);
  expect(
    rows
      .filter((r) => r.status === 'delivered')
      .map((r) => r.action)
      .sort(),
  ).toEqual([
    'createUpdatePerson',
    'createUpdatePerson',
    'syncAudience',
    'syncAudience',
    'trackEvent',
    'trackEvent',
  ]);
  const logged = JSON.stringify(
    (await sojourn.db.query('SELECT request FROM deliveries WHERE journey_id = $1', [journey.id])).rows,
  );
  for (const secret of ['brz-secret-key', 'cio-secret-key', 'itb-secret-key'])
    expect(logged).not.toContain(secret);
});
