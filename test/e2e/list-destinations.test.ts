import { createDestination, deliveryRows, enterUsers, publishSendJourney } from '../helpers/journey-fixtures';
import { startReceiver, type Received, type Receiver } from '../helpers/receiver';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

/**
 * List destinations (issue 4, SPEC §3): the list is created on publish, named with the step key,
 * and users who reach the step are added in batches by the list's batching workflow.
 */
let sojourn: TestSojourn;
let receiver: Receiver;

const FLUSH_INTERVAL_MS = 5_000;

beforeAll(async () => {
  receiver = await startReceiver();
  sojourn = await startSojourn({ listFlushIntervalMs: FLUSH_INTERVAL_MS });
});
afterAll(async () => {
  await sojourn?.stop();
  await receiver?.close();
});

interface Member {
  userId: string;
  messageId: string;
  context: { personas: Record<string, unknown> };
  properties: Record<string, unknown>;
}

function webhookAudiences(name: string, pathName: string, batchSize: number) {
  return {
    name,
    destination: 'webhook-audiences',
    settings: { createAudienceUrl: `${receiver.url}${pathName}/audiences` },
    subscriptions: [
      {
        subscribe: 'type = "track"',
        partnerAction: 'send',
        mapping: { url: `${receiver.url}${pathName}/members`, method: 'POST', data: { '@path': '$.' }, batch_size: batchSize },
      },
    ],
  };
}

const requestsTo = (path: string): Received[] => receiver.received.filter((r) => r.path === path);
const membersIn = (requests: Received[]): Member[] => requests.flatMap((r) => r.body as Member[]);

// 10,000 journey runs take minutes on 2 cores (longer on a loaded machine): `npm run test:scale`.
const scaleTest = process.env.SOJOURN_TEST_SCALE ? test : test.skip;

scaleTest('10,000 users reaching a webhook-audiences list step arrive in at most 10 requests, each exactly once; the audience is created once, named with the step key', async () => {
  receiver.reply = (req) =>
    req.path === '/big/audiences' ? { status: 200, body: { externalId: 'aud_big' } } : { status: 200, body: { ok: true } };
  const destinationId = await createDestination(sojourn, webhookAudiences('Big list', '/big', 2_500));
  const journey = await publishSendJourney(sojourn, 'Big List Journey', [{ destinationId }], 'Loyal users');
  const stepKey = journey.stepKeys.send as string;

  // Publishing again (idempotent) must not create a second audience.
  expect((await sojourn.call('POST', `/v1/journeys/${journey.id}/publish`)).status).toBe(200);
  expect(requestsTo('/big/audiences').map((r) => r.body)).toEqual([{ audienceName: stepKey }]);

  const userIds = Array.from({ length: Number(process.env.SOJOURN_TEST_LIST_USERS ?? 10_000) }, (_, i) => `big_${i}`);
  const started = Date.now();
  await enterUsers(sojourn, journey.id, userIds, 1_000);
  const enteredMs = Date.now() - started;
  await receiver.waitFor(() => membersIn(requestsTo('/big/members')).length >= userIds.length, 1_500_000);
  const arrivedMs = Date.now() - started;
  await new Promise((r) => setTimeout(r, FLUSH_INTERVAL_MS + 1_000)); // nothing more may come
  console.log(`10,000 list members: entered in ${enteredMs} ms, all at the server after ${arrivedMs} ms`);

  const requests = requestsTo('/big/members');
  expect(requests.length).toBeLessThanOrEqual(10);
  const members = membersIn(requests);
  expect(members).toHaveLength(userIds.length);
  expect(new Set(members.map((m) => m.userId))).toEqual(new Set(userIds));
  for (const member of members) {
    expect(member.context.personas).toMatchObject({ external_audience_id: 'aud_big', computation_key: stepKey });
    expect(member.properties[stepKey]).toBe(true);
  }
  expect(requestsTo('/big/audiences')).toHaveLength(1);

  // Each member's batch attempt is in the deliveries log, under the member's own journey run.
  const rows = await deliveryRows(sojourn, 'destination_id = $1', [destinationId]);
  expect(rows).toHaveLength(userIds.length);
  expect(rows.every((r) => r.status === 'delivered' && r.http_status === 200 && r.attempt === 1)).toBe(true);
  expect(new Set(rows.map((r) => r.workflow_id)).size).toBe(userIds.length);
}, 1_600_000);

test('a batch where the server rejects 3 members with a retryable status: only those 3 are resent, alone', async () => {
  let refused: Received | undefined;
  const refusedIndexes = [0, 2, 4];
  receiver.reply = (req) => {
    if (req.path === '/partial/audiences') return { status: 200, body: { externalId: 'aud_partial' } };
    if (req.path !== '/partial/members') return { status: 200 };
    const sent = req.body as Member[];
    // The first batch of 5 or more: 207 Multi-Status with three members refused (503); all else accepted.
    if (!refused && sent.length >= 5) {
      refused = req;
      return { status: 207, body: { results: sent.map((_, i) => (refusedIndexes.includes(i) ? { status: 503, error: 'busy' } : { status: 200 })) } };
    }
    return { status: 200, body: { ok: true } };
  };
  const destinationId = await createDestination(sojourn, webhookAudiences('Partial list', '/partial', 20));
  const journey = await publishSendJourney(sojourn, 'Partial List Journey', [{ destinationId }], 'Partial');
  const userIds = Array.from({ length: 20 }, (_, i) => `partial_${i}`);
  await enterUsers(sojourn, journey.id, userIds);
  const ids = (r: Received | undefined) => (r?.body as Member[]).map((m) => m.messageId);
  const rejected = () => refusedIndexes.map((i) => ids(refused)[i] as string);
  await receiver.waitFor(
    (all) => refused !== undefined && all.some((r) => r.path === '/partial/members' && r !== refused && ids(r).includes(rejected()[0] as string)),
    60_000,
  );
  await new Promise((r) => setTimeout(r, 2_000));

  const requests = requestsTo('/partial/members');
  const retry = requests.find((r) => r !== refused && ids(r).includes(rejected()[0] as string));
  expect(ids(retry).sort()).toEqual([...rejected()].sort());
  // Every user arrived, and only the three refused members were ever sent twice.
  const sends = requests.flatMap(ids);
  expect(sends).toHaveLength(userIds.length + 3);
  expect(new Set(sends).size).toBe(userIds.length);

  const rows = await deliveryRows(sojourn, 'destination_id = $1', [destinationId]);
  const retried = rows.filter((r) => rejected().includes(r.message_id));
  expect(retried.map((r) => [r.attempt, r.status, r.http_status])).toEqual([
    [1, 'retrying', 503],
    [1, 'retrying', 503],
    [1, 'retrying', 503],
    [2, 'delivered', 200],
    [2, 'delivered', 200],
    [2, 'delivered', 200],
  ]);
  expect(rows.filter((r) => !rejected().includes(r.message_id)).map((r) => r.status)).toEqual(Array(17).fill('delivered'));
});
