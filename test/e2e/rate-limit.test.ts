import { startWorker, type RunningWorker } from '../../worker/run';
import { createDestination, enterUsers } from '../helpers/journey-fixtures';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

/**
 * SPEC §5: a destination's requests-per-second limit holds across all workers. Two workers poll the
 * same task queue, each with its own database pool and destination cache; only PostgreSQL is shared.
 */
let sojourn: TestSojourn;
let second: RunningWorker;
let receiver: Receiver;

const USERS = 30;
const LIMIT = 5;

beforeAll(async () => {
  receiver = await startReceiver();
  // Journey delays run 12x faster: the step's 1-minute delay takes 5 s, so all runs reach the send step together.
  sojourn = await startSojourn({ timeScale: 1 / 12 });
  second = await startWorker(sojourn.config, { identity: 'second-worker' });
});
afterAll(async () => {
  await second?.stop();
  await sojourn?.stop();
  await receiver?.close();
});

/** The most requests the server saw within any 1-second window (each window starting at a request). */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.max(...sorted.map((t, i) => sorted.slice(i).filter((u) => u < t + 1_000).length));
}

test('two workers sharing a destination limited to 5 requests/s never exceed it, measured at the server', async () => {
  const destinationId = await createDestination(sojourn, {
    name: 'Limited hook',
    destination: 'webhook',
    settings: {},
    rateLimit: LIMIT,
    subscriptions: [
      {
        subscribe: 'type = "track"',
        partnerAction: 'send',
        mapping: { url: `${receiver.url}/limited`, method: 'POST', data: { '@path': '$.' } },
      },
    ],
  });
  expect((await sojourn.call('GET', `/v1/destinations/${destinationId}`)).body.rateLimit).toEqual({
    requestsPerSecond: LIMIT,
    source: 'instance',
  });
  const created = await sojourn.call('POST', '/v1/journeys', {
    name: 'Rate Limited Journey',
    entry: { type: 'api' },
    start: 'wait',
    steps: [
      { id: 'wait', type: 'delay', duration: '1m', next: 'send' },
      {
        id: 'send',
        type: 'send',
        name: 'Limited',
        destinations: [{ destinationId, call: 'track' }],
        next: 'end',
      },
      { id: 'end', type: 'exit' },
    ],
  });
  expect(created.status).toBe(201);
  expect((await sojourn.call('POST', `/v1/journeys/${created.body.id}/publish`)).status).toBe(200);
  await enterUsers(
    sojourn,
    created.body.id,
    Array.from({ length: USERS }, (_, i) => `limited_${i}`),
  );
  await receiver.waitFor((all) => all.filter((r) => r.path === '/limited').length >= USERS, 90_000);

  const times = receiver.received.filter((r) => r.path === '/limited').map((r) => r.at);
  expect(times).toHaveLength(USERS);
  expect(busiestSecond(times)).toBeLessThanOrEqual(LIMIT);
  // The limit was what held them back: 30 requests at 5/s span at least (30 - 5) / 5 = 5 s.
  expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(((USERS - LIMIT) / LIMIT) * 1_000);

  // Both workers delivered some of them.
  const identities = new Set<string>();
  for (let i = 0; i < USERS; i++) {
    const history = await sojourn.temporal.workflow
      .getHandle(`journey:${created.body.id}:limited_${i}`)
      .fetchHistory();
    for (const event of history.events ?? []) {
      const identity = event.activityTaskStartedEventAttributes?.identity;
      if (identity) identities.add(identity);
    }
  }
  expect(identities.has('second-worker')).toBe(true);
  expect(identities.size).toBeGreaterThanOrEqual(2);
});
