import type { Receiver } from '../helpers/receiver';
import type { TestSojourn } from '../helpers/sojourn';

/**
 * Journeys whose runs together use every step type, branch and signal of journeyWorkflow. Their
 * recorded histories are replayed against every new workflow bundle (test/replay/replay.test.ts).
 */
export interface Scenario {
  name: string;
  /** Runs the scenario and returns the workflow ids whose histories to keep. */
  run(sojourn: TestSojourn, receiver: Receiver): Promise<string[]>;
}

async function hook(sojourn: TestSojourn, receiver: Receiver, type: 'track' | 'identify'): Promise<string> {
  const res = await sojourn.call('POST', '/v1/destinations', {
    name: `${type} hook`,
    destination: 'webhook',
    subscriptions: [{ subscribe: `type = "${type}"`, partnerAction: 'send', mapping: { url: `${receiver.url}/${type}`, method: 'POST', data: { '@path': '$.' } } }],
  });
  return res.body.id;
}

async function publish(sojourn: TestSojourn, definition: unknown): Promise<string> {
  const created = await sojourn.call('POST', '/v1/journeys', definition);
  if (created.status !== 201) throw new Error(`journey not created: ${JSON.stringify(created.body)}`);
  await sojourn.call('POST', `/v1/journeys/${created.body.id}/publish`);
  return created.body.id;
}

async function settle(sojourn: TestSojourn, ids: string[]): Promise<string[]> {
  await Promise.all(ids.map((id) => sojourn.temporal.workflow.getHandle(id).result()));
  return ids;
}

async function atStep(sojourn: TestSojourn, workflowId: string, stepId: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const state = await sojourn.temporal.workflow.getHandle(workflowId).query<{ currentStepId?: string }>('runState').catch(() => undefined);
    if (state?.currentStepId === stepId) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${workflowId} never reached ${stepId}`);
}

export const scenarios: Scenario[] = [
  {
    name: 'send-track-and-identify-with-retry',
    async run(sojourn, receiver) {
      receiver.reply = (req, n) => (req.path === '/track' && n === 1 ? { status: 503 } : { status: 200 });
      const track = await hook(sojourn, receiver, 'track');
      const identify = await hook(sojourn, receiver, 'identify');
      const journeyId = await publish(sojourn, {
        name: 'Replay Send',
        entry: { type: 'api' },
        start: 'send',
        steps: [
          {
            id: 'send',
            type: 'send',
            name: 'Opened email',
            destinations: [
              { destinationId: track, call: 'track', enrichment: { traits: { first_name: 'firstName' } } },
              { destinationId: identify, call: 'identify', idSync: [{ identifier: 'user_id', strategy: 'all' }] },
            ],
            next: 'end',
          },
          { id: 'end', type: 'exit' },
        ],
      });
      await sojourn.call('POST', `/v1/journeys/${journeyId}/entries`, { users: [{ userId: 'replay_send', traits: { firstName: 'Ada' } }] });
      return settle(sojourn, [`journey:${journeyId}:replay_send`]);
    },
  },
  {
    name: 'delay-hold-split-branches',
    async run(sojourn, receiver) {
      receiver.reply = () => ({ status: 200 });
      const track = await hook(sojourn, receiver, 'track');
      const journeyId = await publish(sojourn, {
        name: 'Replay Engine',
        entry: { type: 'event', event: 'Order Completed', where: [{ path: 'properties.total', op: 'gte', value: 50 }] },
        exit: { events: ['Unsubscribed'] },
        start: 'wait',
        steps: [
          { id: 'wait', type: 'delay', duration: '3d', next: 'opened' },
          { id: 'opened', type: 'hold_until', branches: [{ name: 'opened', event: 'Email Opened', next: 'vip' }], timeout: '7d', timeoutNext: 'dice' },
          { id: 'vip', type: 'split', branches: [{ name: 'pro', where: [{ path: 'traits.plan', op: 'eq', value: 'pro' }], next: 'send' }], else: 'end' },
          { id: 'dice', type: 'random_split', branches: [{ name: 'a', weight: 50, next: 'end' }, { name: 'b', weight: 50, next: 'end' }] },
          { id: 'send', type: 'send', name: 'Opened', destinations: [{ destinationId: track, call: 'track' }], next: 'end' },
          { id: 'end', type: 'exit' },
        ],
      });
      await sojourn.ingest('identify', { userId: 'replay_pro', traits: { plan: 'pro' } });
      for (const user of ['replay_pro', 'replay_timeout', 'replay_exit']) {
        await sojourn.ingest('track', { userId: user, event: 'Order Completed', properties: { total: 75 } });
      }
      const id = (user: string) => `journey:${journeyId}:${user}`;
      await atStep(sojourn, id('replay_pro'), 'opened');
      await sojourn.ingest('track', { userId: 'replay_pro', event: 'Email Opened' });
      await atStep(sojourn, id('replay_exit'), 'opened');
      await sojourn.ingest('track', { userId: 'replay_exit', event: 'Unsubscribed' });
      return settle(sojourn, [id('replay_pro'), id('replay_timeout'), id('replay_exit')]);
    },
  },
  {
    name: 'archived-mid-delay',
    async run(sojourn) {
      const journeyId = await publish(sojourn, {
        name: 'Replay Archive',
        entry: { type: 'api' },
        start: 'wait',
        steps: [
          { id: 'wait', type: 'delay', duration: '182d', next: 'end' },
          { id: 'end', type: 'exit' },
        ],
      });
      await sojourn.call('POST', `/v1/journeys/${journeyId}/entries`, { users: [{ userId: 'replay_archived' }] });
      const workflowId = `journey:${journeyId}:replay_archived`;
      await atStep(sojourn, workflowId, 'wait');
      for (let i = 0; i < 100; i++) {
        const archived = await sojourn.call('POST', `/v1/journeys/${journeyId}/archive`);
        if (archived.body.runsEnded > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return settle(sojourn, [workflowId]);
    },
  },
  {
    // A list destination: the runs' send step enqueues members (local activity) and the list's
    // ListBatcherWorkflow sends them in batches, resending the one member the server refused.
    name: 'list-destination-batch',
    async run(sojourn, receiver) {
      let refused = false;
      receiver.reply = (req) => {
        if (req.path === '/replay-list/audiences') return { status: 200, body: { externalId: 'aud_replay' } };
        if (req.path === '/replay-list/members' && !refused) {
          refused = true;
          const sent = req.body as unknown[];
          return { status: 207, body: { results: sent.map((_, i) => ({ status: i === 0 ? 503 : 200 })) } };
        }
        return { status: 200 };
      };
      const res = await sojourn.call('POST', '/v1/destinations', {
        name: 'replay list',
        destination: 'webhook-audiences',
        settings: { createAudienceUrl: `${receiver.url}/replay-list/audiences` },
        subscriptions: [{ subscribe: 'type = "track"', partnerAction: 'send', mapping: { url: `${receiver.url}/replay-list/members`, method: 'POST', data: { '@path': '$.' } } }],
      });
      const destinationId = res.body.id as string;
      const journeyId = await publish(sojourn, {
        name: 'Replay List',
        entry: { type: 'api' },
        start: 'send',
        steps: [
          { id: 'send', type: 'send', name: 'Listed', destinations: [{ destinationId }], next: 'end' },
          { id: 'end', type: 'exit' },
        ],
      });
      const users = ['replay_list_1', 'replay_list_2', 'replay_list_3'];
      await sojourn.call('POST', `/v1/journeys/${journeyId}/entries`, { users: users.map((userId) => ({ userId })) });
      const runs = await settle(sojourn, users.map((u) => `journey:${journeyId}:${u}`));
      const members = () => receiver.received.filter((r) => r.path === '/replay-list/members').flatMap((r) => r.body as unknown[]);
      for (let i = 0; i < 600 && members().length < users.length + 1; i++) await new Promise((r) => setTimeout(r, 50));
      return [...runs, `list:${destinationId}:aud_replay`];
    },
  },
];
