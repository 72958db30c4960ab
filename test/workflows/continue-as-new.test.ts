import type { RunState } from '../../workflows/types';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

let sojourn: TestSojourn;

beforeAll(async () => {
  // A tiny history budget, so a few dozen signals force the run to continue as new mid-wait.
  sojourn = await startSojourn({ timeScale: 1 / 17_280, maxHistoryEvents: 40 });
});
afterAll(() => sojourn?.stop());

test('a run flooded with events while it waits continues as new and resumes the same wait', async () => {
  const created = await sojourn.call('POST', '/v1/journeys', {
    name: 'Flooded Hold',
    entry: { type: 'event', event: 'Cart Created' },
    start: 'hold',
    steps: [
      {
        id: 'hold',
        type: 'hold_until',
        branches: [{ name: 'big', event: 'Purchased', where: [{ path: 'properties.total', op: 'gte', value: 100 }], next: 'end' }],
        // 150 s: long enough that a slow machine still delivers the flood and the big purchase before it.
        timeout: '30d',
        timeoutNext: 'end',
      },
      { id: 'end', type: 'exit' },
    ],
  });
  const journeyId = created.body.id as string;
  await sojourn.call('POST', `/v1/journeys/${journeyId}/publish`);
  await sojourn.ingest('track', { userId: 'flood', event: 'Cart Created' });
  const workflowId = `journey:${journeyId}:flood`;
  const handle = sojourn.temporal.workflow.getHandle(workflowId);
  const firstRunId = (await handle.describe()).runId;

  for (let i = 0; i < 40; i++) await sojourn.ingest('track', { userId: 'flood', event: 'Purchased', properties: { total: 1 } });
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
