import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { findOrInstallTemporalCli } from '../../scripts/temporal-cli';
import type { RunState } from '../../workflows/types';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

// 3d → 1.5 s and 7d → 3.5 s: real durable timers on a real Temporal server, in test time.
const TIME_SCALE = 1 / 172_800;

let sojourn: TestSojourn;
let receiver: Receiver;
let destinationId: string;

beforeAll(async () => {
  receiver = await startReceiver();
  sojourn = await startSojourn({ timeScale: TIME_SCALE });
  const created = await sojourn.call('POST', '/v1/destinations', {
    name: 'Hook',
    destination: 'webhook',
    subscriptions: [
      { subscribe: 'type = "track"', partnerAction: 'send', mapping: { url: `${receiver.url}/hook`, method: 'POST', data: { '@path': '$.' } } },
    ],
  });
  destinationId = created.body.id;
});
afterAll(async () => {
  await sojourn?.stop();
  await receiver?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function firstPurchase(overrides: Record<string, unknown> = {}) {
  return {
    name: 'First Purchase',
    entry: { type: 'event', event: 'Order Completed', where: [{ path: 'properties.total', op: 'gte', value: 50 }] },
    reentry: { mode: 'once' },
    exit: { events: ['Unsubscribed'] },
    start: 'wait',
    steps: [
      { id: 'wait', type: 'delay', duration: '3d', next: 'opened' },
      {
        id: 'opened',
        type: 'hold_until',
        branches: [{ name: 'opened', event: 'Email Opened', next: 'vip' }],
        timeout: '7d',
        timeoutNext: 'end',
      },
      { id: 'vip', type: 'split', branches: [{ name: 'pro', where: [{ path: 'traits.plan', op: 'eq', value: 'pro' }], next: 'send' }], else: 'end' },
      { id: 'send', type: 'send', name: 'Opened email', destinations: [{ destinationId, call: 'track' }], next: 'end' },
      { id: 'end', type: 'exit' },
    ],
    ...overrides,
  };
}

async function publish(definition: unknown): Promise<string> {
  const created = await sojourn.call('POST', '/v1/journeys', definition);
  expect(created.status).toBe(201);
  const published = await sojourn.call('POST', `/v1/journeys/${created.body.id}/publish`);
  expect(published.status).toBe(200);
  return created.body.id;
}

const track = (userId: string, event: string, properties: Record<string, unknown> = {}) =>
  sojourn.ingest('track', { userId, event, properties });

async function result(workflowId: string): Promise<RunState> {
  return (await sojourn.temporal.workflow.getHandle(workflowId).result()) as RunState;
}

async function waitAtStep(workflowId: string, stepId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const state = await sojourn.temporal.workflow
      .getHandle(workflowId)
      .query<RunState>('runState')
      .catch(() => undefined);
    if (state?.currentStepId === stepId) return;
    await sleep(50);
  }
  throw new Error(`${workflowId} never reached ${stepId}`);
}

test('Order Completed (total ≥ 50) → delay → hold_until → split → send → exit takes the right branch for each user', async () => {
  const journeyId = await publish(firstPurchase());
  const run = (user: string) => `journey:${journeyId}:${user}`;
  await sojourn.ingest('identify', { userId: 'pro_opens', traits: { plan: 'pro' } });
  await sojourn.ingest('identify', { userId: 'free_opens', traits: { plan: 'free' } });
  await sojourn.ingest('identify', { userId: 'pro_silent', traits: { plan: 'pro' } });
  expect((await track('pro_opens', 'Order Completed', { total: 80 })).status).toBe(200);
  await track('free_opens', 'Order Completed', { total: 60 });
  await track('pro_silent', 'Order Completed', { total: 50 });
  await track('small_order', 'Order Completed', { total: 20 });

  // An open during the delay does not count: hold_until waits for events after the user reaches it.
  await track('pro_opens', 'Email Opened');
  await waitAtStep(run('pro_opens'), 'opened');
  await waitAtStep(run('free_opens'), 'opened');
  await track('pro_opens', 'Email Opened');
  await track('free_opens', 'Email Opened');

  const [proOpens, freeOpens, proSilent] = await Promise.all([result(run('pro_opens')), result(run('free_opens')), result(run('pro_silent'))]);
  expect(proOpens.steps.map((s) => [s.stepId, s.outcome])).toEqual([
    ['wait', 'waited'],
    ['opened', 'opened'],
    ['vip', 'pro'],
    ['send', '1 delivered, 0 failed'],
    ['end', 'exited'],
  ]);
  expect(freeOpens.steps.map((s) => [s.stepId, s.outcome])).toEqual([
    ['wait', 'waited'],
    ['opened', 'opened'],
    ['vip', 'else'],
    ['end', 'exited'],
  ]);
  expect(proSilent.steps.map((s) => [s.stepId, s.outcome])).toEqual([
    ['wait', 'waited'],
    ['opened', 'timeout'],
    ['end', 'exited'],
  ]);
  const delivered = receiver.received.filter((r) => (r.body as { userId: string }).userId === 'pro_opens');
  expect(delivered).toHaveLength(1);
  expect(receiver.received.some((r) => ['free_opens', 'pro_silent'].includes((r.body as { userId: string }).userId))).toBe(false);
  // The order under 50 entered nothing.
  const entries = await sojourn.db.query('SELECT user_id FROM journey_entries WHERE journey_id = $1 ORDER BY user_id', [journeyId]);
  expect(entries.rows.map((r) => r.user_id)).toEqual(['free_opens', 'pro_opens', 'pro_silent']);
  // The entry event's properties stay available to conditions on the path.
  expect((await sojourn.call('GET', `/v1/journeys/${journeyId}/runs/pro_opens`)).body).toMatchObject({ status: 'completed', workflowStatus: 'COMPLETED' });
});

test('an exit event ends a run waiting in a delay and one waiting in a hold', async () => {
  const journeyId = await publish(firstPurchase({ name: 'Exit Test' }));
  await track('in_delay', 'Order Completed', { total: 100 });
  await track('in_hold', 'Order Completed', { total: 100 });
  await waitAtStep(`journey:${journeyId}:in_hold`, 'opened');
  await track('in_delay_late', 'Order Completed', { total: 100 }); // still in its delay
  await waitAtStep(`journey:${journeyId}:in_delay_late`, 'wait');
  await track('in_delay_late', 'Unsubscribed');
  await track('in_hold', 'Unsubscribed');
  const inDelay = await result(`journey:${journeyId}:in_delay_late`);
  const inHold = await result(`journey:${journeyId}:in_hold`);
  expect(inDelay).toMatchObject({ status: 'exited', exitReason: 'exit event "Unsubscribed"' });
  expect(inDelay.steps.map((s) => s.stepId)).toEqual(['wait']);
  expect(inHold).toMatchObject({ status: 'exited' });
  expect(inHold.steps.map((s) => s.stepId)).toEqual(['wait', 'opened']);
  expect((await result(`journey:${journeyId}:in_delay`)).status).toBe('completed');
});

function quickJourney(name: string, reentry: unknown) {
  return {
    name,
    entry: { type: 'event', event: `${name} Trigger` },
    reentry,
    start: 'wait',
    steps: [
      { id: 'wait', type: 'delay', duration: '1d', next: 'end' }, // 0.5 s
      { id: 'end', type: 'exit' },
    ],
  };
}

async function entriesOf(journeyId: string, userId: string): Promise<string[]> {
  const { rows } = await sojourn.db.query('SELECT workflow_id FROM journey_entries WHERE journey_id = $1 AND user_id = $2 ORDER BY entry_no', [journeyId, userId]);
  return rows.map((r) => r.workflow_id as string);
}

test('re-entry: once enters a user once, every_time runs in parallel, after waits for the window since the last exit', async () => {
  const once = await publish(quickJourney('Once', { mode: 'once' }));
  const every = await publish(quickJourney('Every', { mode: 'every_time' }));
  const after = await publish(quickJourney('After', { mode: 'after', after: '2d' })); // 1 s

  for (const name of ['Once', 'Every', 'After']) {
    await track('u_re', `${name} Trigger`);
    await track('u_re', `${name} Trigger`);
  }
  expect(await entriesOf(once, 'u_re')).toEqual([`journey:${once}:u_re`]);
  const everyRuns = await entriesOf(every, 'u_re');
  expect(everyRuns).toEqual([`journey:${every}:u_re`, `journey:${every}:u_re:2`]);
  const running = await Promise.all(everyRuns.map((id) => sojourn.temporal.workflow.getHandle(id).describe()));
  expect(running.map((d) => d.status.name)).toEqual(['RUNNING', 'RUNNING']); // parallel runs
  expect(await entriesOf(after, 'u_re')).toEqual([`journey:${after}:u_re`]); // second arrived while in the journey

  await result(`journey:${after}:u_re`);
  await track('u_re', 'After Trigger'); // within 1 s of the exit
  expect(await entriesOf(after, 'u_re')).toHaveLength(1);
  await sleep(1200);
  await track('u_re', 'After Trigger');
  expect(await entriesOf(after, 'u_re')).toEqual([`journey:${after}:u_re`, `journey:${after}:u_re:2`]);

  await result(`journey:${once}:u_re`);
  await track('u_re', 'Once Trigger'); // after the run ended: still once
  expect(await entriesOf(once, 'u_re')).toHaveLength(1);
});

test('a new version leaves running users on theirs: v1 users finish on v1, new users run v2, unchanged send steps keep their keys', async () => {
  const v1 = firstPurchase({ name: 'Versioned', entry: { type: 'api' }, start: 'wait', exit: undefined });
  const journeyId = await publish(v1);
  const before = await sojourn.call('GET', `/v1/journeys/${journeyId}`);
  await sojourn.call('POST', `/v1/journeys/${journeyId}/entries`, { users: [{ userId: 'v1_user', traits: { plan: 'pro' } }] });
  await waitAtStep(`journey:${journeyId}:v1_user`, 'wait');

  // v2 drops the hold: straight from the delay to the split.
  const v2 = { ...v1, steps: v1.steps.map((s) => (s.id === 'wait' ? { ...s, next: 'vip' } : s)).filter((s) => s.id !== 'opened') };
  const put = await sojourn.call('PUT', `/v1/journeys/${journeyId}`, v2);
  expect(put.status).toBe(200);
  expect(put.body.version).toBe(2);
  expect(put.body.stepKeys.send).toBe(before.body.stepKeys.send);
  expect((await sojourn.call('POST', `/v1/journeys/${journeyId}/publish`)).body.publishedVersion).toBe(2);

  await sojourn.call('POST', `/v1/journeys/${journeyId}/entries`, { users: [{ userId: 'v2_user', traits: { plan: 'pro' } }] });
  const [v1Run, v2Run] = await Promise.all([result(`journey:${journeyId}:v1_user`), result(`journey:${journeyId}:v2_user`)]);
  expect(v1Run.version).toBe(1);
  expect(v1Run.steps.map((s) => s.stepId)).toEqual(['wait', 'opened', 'end']); // timed out in v1's hold
  expect(v2Run.version).toBe(2);
  expect(v2Run.steps.map((s) => s.stepId)).toEqual(['wait', 'vip', 'send', 'end']);
});

test('pause stops new entries while runs continue; archive ends the runs', async () => {
  const journeyId = await publish(quickJourney('Lifecycle', { mode: 'every_time' }));
  await track('u_life', 'Lifecycle Trigger');
  expect((await sojourn.call('POST', `/v1/journeys/${journeyId}/pause`)).body.status).toBe('paused');
  await track('u_life', 'Lifecycle Trigger');
  expect(await entriesOf(journeyId, 'u_life')).toHaveLength(1);
  expect((await result(`journey:${journeyId}:u_life`)).status).toBe('completed');

  const long = await publish({ ...quickJourney('Archive Me', { mode: 'once' }), steps: [{ id: 'wait', type: 'delay', duration: '182d', next: 'end' }, { id: 'end', type: 'exit' }] });
  await track('u_arch', 'Archive Me Trigger');
  await waitAtStep(`journey:${long}:u_arch`, 'wait');
  let archived = await sojourn.call('POST', `/v1/journeys/${long}/archive`);
  for (let i = 0; i < 50 && archived.body.runsEnded === 0; i++) {
    await sleep(200); // visibility is eventually consistent
    archived = await sojourn.call('POST', `/v1/journeys/${long}/archive`);
  }
  expect(archived.body.status).toBe('archived');
  expect(await result(`journey:${long}:u_arch`)).toMatchObject({ status: 'exited', exitReason: 'journey archived' });
});

test('operators find the users waiting at a step with a search-attribute query', async () => {
  const journeyId = await publish({
    name: 'Waiting Room',
    entry: { type: 'api' },
    start: 'wait',
    steps: [
      { id: 'wait', type: 'delay', duration: '182d', next: 'end' },
      { id: 'end', type: 'exit' },
    ],
  });
  await sojourn.call('POST', `/v1/journeys/${journeyId}/entries`, { users: [{ userId: 'w_1' }, { userId: 'w_2' }] });
  const cli = await findOrInstallTemporalCli(path.resolve('.data'));
  const query = `JourneyId="${journeyId}" AND StepId="wait"`;
  let listed = '';
  for (let i = 0; i < 100 && !(listed.includes(':w_1') && listed.includes(':w_2')); i++) {
    await sleep(100);
    listed = execFileSync(cli, ['workflow', 'list', '--address', process.env.TEMPORAL_ADDRESS as string, '--query', query], { encoding: 'utf8' });
  }
  expect(listed).toContain(`journey:${journeyId}:w_1`);
  expect(listed).toContain(`journey:${journeyId}:w_2`);
  const elsewhere = execFileSync(cli, ['workflow', 'list', '--address', process.env.TEMPORAL_ADDRESS as string, '--query', `JourneyId="${journeyId}" AND StepId="end"`], { encoding: 'utf8' });
  expect(elsewhere).not.toContain(journeyId);
  // Leave nothing running behind the test.
  for (let i = 0; i < 50; i++) {
    const archived = await sojourn.call('POST', `/v1/journeys/${journeyId}/archive`);
    if (archived.body.runsEnded >= 2) break;
    await sleep(100);
  }
});
