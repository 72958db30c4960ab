import { createDestination, publishSendJourney, webhookTo } from '../helpers/journey-fixtures';
import type { Receiver } from '../helpers/receiver';
import type { TestSojourn } from '../helpers/sojourn';
import { useSojournWithReceiver } from '../helpers/with-sojourn';

/** The Engage event tester (seed "Test event payloads"; SPEC §4) against a real HTTP server on loopback. */
let sojourn: TestSojourn;
let receiver: Receiver;

useSojournWithReceiver((started, listening) => {
  sojourn = started;
  receiver = listening;
});

const webhook = (name: string, pathName: string) =>
  webhookTo(receiver, name, pathName, { subscribe: 'type = "track" or type = "identify"' });

test('a working webhook: 200 with the full response and the lifecycle, and exactly the payload the journey step would send', async () => {
  receiver.reply = () => ({
    status: 200,
    body: { accepted: true, id: 'evt_1' },
    headers: { 'x-request-id': 'req-42' },
  });
  const destinationId = await createDestination(sojourn, webhook('Tester hook', '/tester-ok'));
  const journey = await publishSendJourney(
    sojourn,
    'Tester Journey',
    [{ destinationId, call: 'track' }],
    'Welcome',
  );
  const key = journey.stepKeys.send as string;

  const res = await sojourn.call('POST', `/v1/destinations/${destinationId}/test-event`, {
    type: 'track',
    journeyId: journey.id,
    stepId: 'send',
  });
  expect(res.status).toBe(200);
  const { testUserId, payload, results, ok } = res.body;
  expect(ok).toBe(true);
  expect(testUserId).toMatch(/^test_user_[0-9a-f]{16}$/);
  expect(payload).toMatchObject({
    type: 'track',
    event: 'Audience Entered',
    userId: testUserId,
    properties: { audience_key: key, [key]: true },
    context: {
      personas: {
        computation_class: 'journey_step',
        computation_key: key,
        computation_id: `${journey.id}:send`,
        space_id: 'spa_default',
      },
    },
  });
  expect(results).toHaveLength(1);
  expect(results[0]).toMatchObject({
    action: 'send',
    status: 200,
    outcome: 'delivered',
    response: { status: 200, body: { accepted: true, id: 'evt_1' }, headers: { 'x-request-id': 'req-42' } },
    request: { method: 'POST', url: `${receiver.url}/tester-ok` },
  });
  expect(results[0].lifecycle.length).toBeGreaterThan(0);
  // What the destination received is the payload shown.
  const received = receiver.received.filter((r) => r.path === '/tester-ok');
  expect(received).toHaveLength(1);
  expect(received[0]?.body).toEqual(payload);
});

test('a webhook answering 500: the status and every error detail, ok false', async () => {
  receiver.reply = (req) =>
    req.path === '/tester-500' ? { status: 500, body: { error: 'database on fire' } } : { status: 200 };
  const destinationId = await createDestination(sojourn, webhook('Broken hook', '/tester-500'));
  const res = await sojourn.call('POST', `/v1/destinations/${destinationId}/test-event`, {
    type: 'identify',
  });
  expect(res.status).toBe(200);
  expect(res.body.ok).toBe(false);
  expect(res.body.payload).toMatchObject({ type: 'identify', userId: res.body.testUserId });
  expect(res.body.results[0]).toMatchObject({
    action: 'send',
    status: 500,
    outcome: 'failed',
    response: { status: 500, body: { error: 'database on fire' } },
    error: { code: 'HTTP_500', retryable: true, httpStatus: 500 },
  });
  expect(res.body.results[0].error.message).toMatch(/500|Internal Server Error/);
  expect(res.body.results[0].lifecycle.join(' ')).toMatch(/Failed/);
  // The tester tries once: a retry would hide the error from the person testing.
  expect(receiver.received.filter((r) => r.path === '/tester-500')).toHaveLength(1);
});

test('a list destination is refused with a 4xx', async () => {
  const destinationId = await createDestination(sojourn, {
    name: 'A list',
    destination: 'webhook-audiences',
    settings: { createAudienceUrl: `${receiver.url}/tester-list/audiences` },
    subscriptions: [
      {
        subscribe: 'type = "track"',
        partnerAction: 'send',
        mapping: { url: `${receiver.url}/tester-list/members`, method: 'POST' },
      },
    ],
  });
  const res = await sojourn.call('POST', `/v1/destinations/${destinationId}/test-event`, { type: 'track' });
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('list_destination');
  expect(receiver.received.filter((r) => r.path.startsWith('/tester-list'))).toHaveLength(0);
});

test('bad input: unknown destination 404, unknown journey 404, a step that does not send there 400, bad type 400', async () => {
  const destinationId = await createDestination(sojourn, webhook('Other hook', '/tester-other'));
  const elsewhere = await createDestination(sojourn, webhook('Elsewhere', '/tester-elsewhere'));
  const journey = await publishSendJourney(sojourn, 'Elsewhere Journey', [{ destinationId: elsewhere }]);
  const call = (id: string, body: unknown) => sojourn.call('POST', `/v1/destinations/${id}/test-event`, body);
  expect((await call('dst_nope', { type: 'track' })).status).toBe(404);
  expect((await call(destinationId, { type: 'track', journeyId: 'jny_nope' })).status).toBe(404);
  expect((await call(destinationId, { type: 'track', journeyId: journey.id, stepId: 'send' })).status).toBe(
    400,
  );
  expect((await call(destinationId, { type: 'page' })).status).toBe(400);
  expect((await call(destinationId, { type: 'track', stepId: 'send' })).status).toBe(400);
  expect(receiver.received.filter((r) => r.path === '/tester-other')).toHaveLength(0);
});
