import { insertMembers } from '../../db/list-members';
import { MAX_FLUSHES_PER_RUN, type ListBatcherWorkflow } from '../../workflows/list-batcher';
import {
  listBatcherStateQuery,
  listBatcherWorkflowId,
  listMembersAddedSignal,
  type ListMember,
  type ListMembersAdded,
} from '../../workflows/list-types';
import { createDestination } from '../helpers/journey-fixtures';
import type { Receiver } from '../helpers/receiver';
import type { TestSojourn } from '../helpers/sojourn';
import { useSojournWithReceiver } from '../helpers/with-sojourn';

/** The batching workflow on its own: members stored and announced as the enqueue activity does. */
let sojourn: TestSojourn;
let receiver: Receiver;

useSojournWithReceiver((started, listening) => {
  sojourn = started;
  receiver = listening;
});

function member(i: number): ListMember {
  return {
    messageId: `sj-can-${i}`,
    workflowId: `journey:jny_can:u_${i}`,
    journeyId: 'jny_can',
    version: 1,
    stepId: 'send',
    userId: `u_${i}`,
    identifier: { type: 'user_id', value: `u_${i}` },
    traits: {},
    enteredAt: '2026-01-01T00:00:00.000Z',
  };
}

test(`after ${MAX_FLUSHES_PER_RUN} flushes the batcher continues as new and goes on: every member sent exactly once`, async () => {
  const destinationId = await createDestination(sojourn, {
    name: 'CAN list',
    destination: 'webhook-audiences',
    settings: {},
    rateLimit: 0,
    subscriptions: [
      {
        subscribe: 'type = "track"',
        partnerAction: 'send',
        mapping: { url: `${receiver.url}/can`, method: 'POST', data: { '@path': '$.' } },
      },
    ],
  });
  const list = { destinationId, externalId: 'aud_can', audienceKey: 'j_o_can__list_abc123' };
  const workflowId = listBatcherWorkflowId(list);
  const total = MAX_FLUSHES_PER_RUN + 30;
  // Batches of one member: each member is a flush. Members stored and announced twice change nothing.
  for (let start = 0; start < total; start += 10) {
    const members = Array.from({ length: 10 }, (_, i) => member(start + i));
    for (let repeat = 0; repeat < 2; repeat++) {
      await insertMembers(sojourn.db, list, members);
      await sojourn.temporal.workflow.signalWithStart<typeof ListBatcherWorkflow, [ListMembersAdded]>(
        'ListBatcherWorkflow',
        {
          workflowId,
          taskQueue: sojourn.config.taskQueue,
          args: [{ list }],
          signal: listMembersAddedSignal,
          signalArgs: [{ added: members.length, settings: { batchSize: 1, flushIntervalMs: 200 } }],
        },
      );
    }
  }
  const firstRunId = (await sojourn.temporal.workflow.getHandle(workflowId).describe()).runId;
  await receiver.waitFor((all) => all.filter((r) => r.path === '/can').length >= total, 120_000);
  await new Promise((r) => setTimeout(r, 1_000));

  const sent = receiver.received
    .filter((r) => r.path === '/can')
    .flatMap((r) => (r.body as Array<{ messageId: string }>).map((m) => m.messageId));
  expect(sent).toHaveLength(total);
  expect(new Set(sent).size).toBe(total);
  const first = await sojourn.temporal.workflow.getHandle(workflowId, firstRunId).describe();
  expect(first.status.name).toBe('CONTINUED_AS_NEW');
  const state = await sojourn.temporal.workflow.getHandle(workflowId).query(listBatcherStateQuery);
  expect(state).toMatchObject({ queue: { waiting: 0, nextRetryAt: null }, flushed: total });
  const { rows } = await sojourn.db.query(
    `SELECT status, count(*)::int AS n FROM list_members WHERE external_id = 'aud_can' GROUP BY 1`,
  );
  expect(rows).toEqual([{ status: 'delivered', n: total }]);
});
