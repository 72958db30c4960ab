/**
 * Retention (SOJOURN_RETENTION_DAYS): each worker makes sure a daily Temporal schedule exists for its
 * task queue; the prune deletes deliveries-log rows and settled list members past the window, and
 * keeps recent rows and members still waiting, however old.
 */
import { retentionScheduleId } from '../../worker/retention-schedule';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

let sojourn: TestSojourn;

beforeAll(async () => {
  sojourn = await startSojourn({ retentionDays: 30 });
});
afterAll(async () => {
  await sojourn?.temporal.schedule
    .getHandle(retentionScheduleId(sojourn.config.taskQueue))
    .delete()
    .catch(() => undefined);
  await sojourn?.stop();
});

test('the worker created the daily prune schedule for its task queue', async () => {
  const description = await sojourn.temporal.schedule
    .getHandle(retentionScheduleId(sojourn.config.taskQueue))
    .describe();
  expect(description.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: 'pruneOldRecordsWorkflow',
    taskQueue: sojourn.config.taskQueue,
  });
  expect(description.spec.intervals?.map((i) => Number(i.every))).toEqual([24 * 60 * 60 * 1000]);
});

async function delivery(messageId: string, daysAgo: number): Promise<void> {
  await sojourn.db.query(
    `INSERT INTO deliveries (message_id, workflow_id, journey_id, journey_version, step_id, destination_id, call,
       action, attempt, status, latency_ms, created_at)
     VALUES ($1, 'wf', 'jny_ret', 1, 'send', 'dst_ret', 'track', 'send', 1, 'delivered', 5, now() - make_interval(days => $2))`,
    [messageId, daysAgo],
  );
}

async function member(messageId: string, status: string, daysAgo: number): Promise<void> {
  await sojourn.db.query(
    `INSERT INTO list_members (message_id, destination_id, external_id, member, status, enqueued_at, updated_at)
     VALUES ($1, 'dst_ret', 'aud_ret', '{}'::jsonb, $2, now() - make_interval(days => $3), now() - make_interval(days => $3))`,
    [messageId, status, daysAgo],
  );
}

test('a prune deletes deliveries and settled list members past the window; recent rows and waiting members stay', async () => {
  for (const [id, days] of [
    ['ret-d-old-1', 40],
    ['ret-d-old-2', 31],
    ['ret-d-old-3', 400],
    ['ret-d-new-1', 29],
    ['ret-d-new-2', 0],
  ] as const)
    await delivery(id, days);
  for (const [id, status, days] of [
    ['ret-m-old-delivered', 'delivered', 40],
    ['ret-m-old-failed', 'failed', 45],
    ['ret-m-old-pending', 'pending', 60],
    ['ret-m-new-delivered', 'delivered', 1],
  ] as const)
    await member(id, status, days);

  const result = await sojourn.temporal.workflow.execute('pruneOldRecordsWorkflow', {
    taskQueue: sojourn.config.taskQueue,
    workflowId: `retention-test-${Date.now()}`,
  });
  expect(result).toMatchObject({ deliveries: 3, listMembers: 2 });

  const deliveries = await sojourn.db.query(
    `SELECT message_id FROM deliveries WHERE message_id LIKE 'ret-%' ORDER BY message_id`,
  );
  expect(deliveries.rows.map((r) => r.message_id)).toEqual(['ret-d-new-1', 'ret-d-new-2']);
  const members = await sojourn.db.query(
    `SELECT message_id FROM list_members WHERE message_id LIKE 'ret-%' ORDER BY message_id`,
  );
  expect(members.rows.map((r) => r.message_id)).toEqual(['ret-m-new-delivered', 'ret-m-old-pending']);
});
