import { startReceiver, type Received, type Receiver } from '../helpers/receiver';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

/** SPEC §3 "ID Sync", issue 5 acceptance: which identifier values a send step delivers, one event each. */
let sojourn: TestSojourn;
let receiver: Receiver;
let destinationId: string;
const run = Math.random().toString(36).slice(2, 8);
const userId = `idsync_${run}`;

beforeAll(async () => {
  receiver = await startReceiver();
  sojourn = await startSojourn();
  const created = await sojourn.call('POST', '/v1/destinations', {
    name: 'ID Sync hook',
    destination: 'webhook',
    subscriptions: [
      {
        subscribe: 'type = "track"',
        partnerAction: 'send',
        mapping: { url: `${receiver.url}/idsync`, method: 'POST', data: { '@path': '$.' } },
      },
    ],
  });
  destinationId = created.body.id;
  // Two emails, the second seen later, and one user_id.
  expect(
    (await sojourn.ingest('identify', { userId, traits: { email: `old-${run}@example.com` } })).status,
  ).toBe(200);
  expect(
    (await sojourn.ingest('identify', { userId, traits: { email: `new-${run}@example.com` } })).status,
  ).toBe(200);
});
afterAll(async () => {
  await sojourn?.stop();
  await receiver?.close();
});

function journey(name: string, idSync?: unknown) {
  return {
    name,
    entry: { type: 'api' },
    start: 'send',
    steps: [
      {
        id: 'send',
        type: 'send',
        name: 'Synced',
        destinations: [{ destinationId, call: 'track', ...(idSync ? { idSync } : {}) }],
        next: 'end',
      },
      { id: 'end', type: 'exit' },
    ],
  };
}

/** Publishes the journey, enters the user, and returns what the destination received from that step. */
async function deliveredBy(
  name: string,
  idSync?: unknown,
): Promise<Array<{ userId?: string; email?: string }>> {
  const created = await sojourn.call('POST', '/v1/journeys', journey(name, idSync));
  expect(created.status).toBe(201);
  const key = created.body.stepKeys.send as string;
  expect((await sojourn.call('POST', `/v1/journeys/${created.body.id}/publish`)).status).toBe(200);
  const entered = await sojourn.call('POST', `/v1/journeys/${created.body.id}/entries`, {
    users: [{ userId }],
  });
  expect(entered.status).toBe(202);
  await sojourn.temporal.workflow.getHandle(entered.body.entries[0].workflowId).result();
  const fromStep = (r: Received) =>
    (r.body as { properties?: Record<string, unknown> }).properties?.audience_key === key;
  return receiver.received.filter(fromStep).map((r) => {
    const body = r.body as { userId?: string; context?: { traits?: { email?: string } } };
    return { userId: body.userId, email: body.context?.traits?.email };
  });
}

test('the profile keeps both emails and the user_id, each with when it was first seen', async () => {
  const profile = await sojourn.call('GET', `/v1/profiles/${userId}`);
  expect(profile.status).toBe(200);
  const identifiers = profile.body.identifiers as Array<{ type: string; value: string; firstSeen: string }>;
  expect(identifiers.map((i) => [i.type, i.value])).toEqual([
    ['user_id', userId],
    ['email', `old-${run}@example.com`],
    ['email', `new-${run}@example.com`],
  ]);
  const emails = identifiers.filter((i) => i.type === 'email').map((i) => Date.parse(i.firstSeen));
  expect(emails[0]).toBeLessThan(emails[1] as number);
});

test('without idSync every value of every identifier is sent: 3 events', async () => {
  const events = await deliveredBy('ID Sync default');
  expect(events).toHaveLength(3);
  expect(
    events
      .map((e) => e.email)
      .filter(Boolean)
      .sort(),
  ).toEqual([`new-${run}@example.com`, `old-${run}@example.com`]);
  expect(events.every((e) => e.userId === userId)).toBe(true);
});

test('idSync [{email, last}] sends 1 event with the newest email', async () => {
  const events = await deliveredBy('ID Sync last', [{ identifier: 'email', strategy: 'last' }]);
  expect(events).toEqual([{ userId, email: `new-${run}@example.com` }]);
});

test('idSync [{email, first}] sends 1 event with the oldest email', async () => {
  const events = await deliveredBy('ID Sync first', [{ identifier: 'email', strategy: 'first' }]);
  expect(events).toEqual([{ userId, email: `old-${run}@example.com` }]);
});

test('a 4th identifier with strategy "all" is rejected when the journey is saved', async () => {
  const all = ['user_id', 'email', 'phone', 'anonymous_id'].map((identifier) => ({
    identifier,
    strategy: 'all',
  }));
  const res = await sojourn.call('POST', '/v1/journeys', journey('Too many all', all));
  expect(res.status).toBe(400);
  expect(res.body.error.message).toMatch(/at most 3 identifiers may use strategy "all"/);
  const three = await sojourn.call('POST', '/v1/journeys', journey('Three all', all.slice(0, 3)));
  expect(three.status).toBe(201);
});
