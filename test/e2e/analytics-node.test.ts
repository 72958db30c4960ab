import { Analytics } from '@segment/analytics-node';
import type { RunState } from '../../workflows/types';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

let sojourn: TestSojourn;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  // 7 d = 35 s: the hold's timeout must not race a slow machine's Email Verified.
  sojourn = await startSojourn({ timeScale: 1 / 17_280 });
});
afterAll(async () => {
  await sojourn?.stop();
  await receiver?.close();
});

test('the real @segment/analytics-node client, pointed at Sojourn, starts a journey and moves it on', async () => {
  const destination = await sojourn.call('POST', '/v1/destinations', {
    name: 'Hook',
    destination: 'webhook',
    subscriptions: [{ subscribe: 'type = "identify"', partnerAction: 'send', mapping: { url: `${receiver.url}/hook`, method: 'POST', data: { '@path': '$.' } } }],
  });
  const journey = await sojourn.call('POST', '/v1/journeys', {
    name: 'Welcome',
    entry: { type: 'event', event: 'Signed Up' },
    start: 'hold',
    steps: [
      { id: 'hold', type: 'hold_until', branches: [{ name: 'verified', event: 'Email Verified', next: 'send' }], timeout: '7d', timeoutNext: 'end' },
      {
        id: 'send',
        type: 'send',
        name: 'Verified',
        destinations: [{ destinationId: destination.body.id, call: 'identify', enrichment: { traits: { first_name: 'firstName' } }, idSync: [{ identifier: 'email', strategy: 'last' }] }],
        next: 'end',
      },
      { id: 'end', type: 'exit' },
    ],
  });
  await sojourn.call('POST', `/v1/journeys/${journey.body.id}/publish`);

  const analytics = new Analytics({ writeKey: sojourn.config.writeKey, host: sojourn.url, flushAt: 1, maxRetries: 1 });
  const errors: unknown[] = [];
  analytics.on('error', (e) => errors.push(e));
  analytics.identify({ userId: 'an_1', traits: { email: 'ada@example.com', firstName: 'Ada' } });
  analytics.track({ userId: 'an_1', event: 'Signed Up', properties: { plan: 'pro' } });
  await analytics.flush();

  const workflowId = `journey:${journey.body.id}:an_1`;
  for (let i = 0; i < 100; i++) {
    const state = await sojourn.temporal.workflow.getHandle(workflowId).query<RunState>('runState').catch(() => undefined);
    if (state?.currentStepId === 'hold') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  analytics.track({ userId: 'an_1', event: 'Email Verified' });
  await analytics.closeAndFlush();
  expect(errors).toEqual([]);

  const state = (await sojourn.temporal.workflow.getHandle(workflowId).result()) as RunState;
  expect(state.steps.map((s) => [s.stepId, s.outcome])).toEqual([
    ['hold', 'verified'],
    ['send', '1 delivered, 0 failed'],
    ['end', 'exited'],
  ]);
  const [received] = receiver.received;
  expect(received?.body).toMatchObject({ type: 'identify', userId: 'an_1', traits: { email: 'ada@example.com', first_name: 'Ada' } });
  const profile = await sojourn.db.query("SELECT type, value FROM profile_identifiers WHERE user_id = 'an_1' ORDER BY type");
  expect(profile.rows).toEqual([
    { type: 'email', value: 'ada@example.com' },
    { type: 'user_id', value: 'an_1' },
  ]);
});
