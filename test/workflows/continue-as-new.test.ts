import { journeyEventSignal } from '../../workflows/signals';
import type { JourneyEventSignal, JourneyRunInput, RunState } from '../../workflows/types';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

let sojourn: TestSojourn;

beforeAll(async () => {
  // A tiny history budget, so a few dozen signals force the run to continue as new mid-wait.
  sojourn = await startSojourn({ timeScale: 1 / 17_280, maxHistoryEvents: 40 });
});
afterAll(() => sojourn?.stop());

/** Holds until a purchase of 100 or more, or the timeout. */
const holdForBigPurchase = (timeout: string) => ({
  entry: { type: 'event', event: 'Cart Created' },
  start: 'hold',
  steps: [
    {
      id: 'hold',
      type: 'hold_until',
      branches: [
        {
          name: 'big',
          event: 'Purchased',
          where: [{ path: 'properties.total', op: 'gte', value: 100 }],
          next: 'end',
        },
      ],
      timeout,
      timeoutNext: 'end',
    },
    { id: 'end', type: 'exit' },
  ],
});

/** 10 d = 50 s: a lost event ends the hold on its timeout (a clear failure) before Jest's own timeout. */
async function publishedHold(name: string, timeout = '10d'): Promise<{ journeyId: string; version: number }> {
  const created = await sojourn.call('POST', '/v1/journeys', { name, ...holdForBigPurchase(timeout) });
  const published = await sojourn.call('POST', `/v1/journeys/${created.body.id}/publish`);
  return { journeyId: created.body.id as string, version: published.body.version as number };
}

const purchase = (messageId: string, total: number): JourneyEventSignal => ({
  event: 'Purchased',
  messageId,
  properties: { total },
  timestamp: new Date().toISOString(),
});

/**
 * Signal-with-start puts the signal in the run's first workflow task, before its handlers are set:
 * the same as an event that reaches a run still starting (a slow worker, or right after continue-as-new).
 */
async function startWithEvent(
  workflowId: string,
  input: JourneyRunInput,
  event: JourneyEventSignal,
): Promise<RunState> {
  const handle = await sojourn.temporal.workflow.signalWithStart('journeyWorkflow', {
    workflowId,
    taskQueue: sojourn.config.taskQueue,
    args: [input],
    signal: journeyEventSignal,
    signalArgs: [event],
  });
  return (await handle.result()) as RunState;
}

const outcomes = (state: RunState) => state.steps.map((s) => [s.stepId, s.outcome]);

test('an event that arrives while a run is starting counts for its first step', async () => {
  const { journeyId, version } = await publishedHold('Early Purchase');
  const state = await startWithEvent(
    `journey:${journeyId}:early`,
    { journeyId, version, userId: 'early', entryNo: 1 },
    purchase('m-early', 250),
  );
  expect(outcomes(state)).toEqual([
    ['hold', 'big'],
    ['end', 'exited'],
  ]);
});

test('a resumed wait counts an event that arrives while the new run starts, not the events it carried', async () => {
  const { journeyId, version } = await publishedHold('Resumed Purchase');
  const enteredAt = new Date().toISOString();
  const resumedWith = (carried: JourneyEventSignal[]): JourneyRunInput => ({
    journeyId,
    version,
    userId: 'resumed',
    entryNo: 1,
    resume: {
      stepId: 'hold',
      waitEndsAt: Date.now() + 50_000,
      state: {
        journeyId,
        version,
        userId: 'resumed',
        status: 'running',
        steps: [{ stepId: 'hold', type: 'hold_until', enteredAt }],
        deliveries: [],
      },
      events: carried,
    },
  });
  const state = await startWithEvent(
    `journey:${journeyId}:resumed`,
    resumedWith([purchase('m-small', 1)]),
    purchase('m-big', 250),
  );
  expect(outcomes(state)).toEqual([
    ['hold', 'big'],
    ['end', 'exited'],
  ]);
});

test('a run flooded with events while it waits continues as new and resumes the same wait', async () => {
  // 30 d = 150 s: room for a slow machine to deliver the flood and the big purchase.
  const { journeyId } = await publishedHold('Flooded Hold', '30d');
  await sojourn.ingest('track', { userId: 'flood', event: 'Cart Created' });
  const workflowId = `journey:${journeyId}:flood`;
  const handle = sojourn.temporal.workflow.getHandle(workflowId);
  const firstRunId = (await handle.describe()).runId;

  for (let i = 0; i < 40; i++)
    await sojourn.ingest('track', { userId: 'flood', event: 'Purchased', properties: { total: 1 } });
  let latest = firstRunId;
  for (let i = 0; i < 100 && latest === firstRunId; i++) {
    latest = (await sojourn.temporal.workflow.getHandle(workflowId).describe()).runId;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(latest).not.toBe(firstRunId);

  await sojourn.ingest('track', { userId: 'flood', event: 'Purchased', properties: { total: 250 } });
  const state = (await sojourn.temporal.workflow.getHandle(workflowId).result()) as RunState;
  expect(state.status).toBe('completed');
  expect(state.steps.map((s) => [s.stepId, s.outcome])).toEqual([
    ['hold', 'big'],
    ['end', 'exited'],
  ]);
  const history = await sojourn.temporal.workflow.getHandle(workflowId).fetchHistory();
  expect(history.events?.length ?? 0).toBeLessThan(80);
});
