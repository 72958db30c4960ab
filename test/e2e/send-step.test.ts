import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { findOrInstallTemporalCli } from '../../scripts/temporal-cli';
import type { RunState } from '../../workflows/types';
import {
  createDestination,
  IDEMPOTENCY_KEY_HEADER,
  publishSendJourney,
  webhookTo,
} from '../helpers/journey-fixtures';
import type { Receiver } from '../helpers/receiver';
import type { TestSojourn } from '../helpers/sojourn';
import { useSojournWithReceiver } from '../helpers/with-sojourn';

const KEY_PATTERN = /^j_o_first_purchase__opened_email_[a-z0-9]{6}$/;

let sojourn: TestSojourn;
let receiver: Receiver;

useSojournWithReceiver((started, listening) => {
  sojourn = started;
  receiver = listening;
});

const webhook = (name: string, pathName: string, type: 'track' | 'identify') =>
  webhookTo(receiver, name, pathName, { subscribe: `type = "${type}"`, headers: IDEMPOTENCY_KEY_HEADER });

async function runResult(workflowId: string): Promise<RunState> {
  return (await sojourn.temporal.workflow.getHandle(workflowId).result()) as RunState;
}

async function deliveriesOf(workflowId: string) {
  const { rows } = await sojourn.db.query(
    'SELECT message_id, attempt, status, http_status, action, error FROM deliveries WHERE workflow_id = $1 ORDER BY id',
    [workflowId],
  );
  return rows as Array<{
    message_id: string;
    attempt: number;
    status: string;
    http_status: number | null;
    error: string | null;
  }>;
}

test('a user entered through the API reaches the send step: the webhook receives Engage-shaped track and identify', async () => {
  const trackId = await createDestination(sojourn, webhook('Track hook', '/track', 'track'));
  const identifyId = await createDestination(sojourn, webhook('Identify hook', '/identify', 'identify'));
  const journey = await publishSendJourney(sojourn, 'First Purchase', [
    { destinationId: trackId, call: 'track' },
    { destinationId: identifyId, call: 'identify' },
  ]);
  const key = journey.stepKeys.send as string;
  expect(key).toMatch(KEY_PATTERN);

  const entered = await sojourn.call('POST', `/v1/journeys/${journey.id}/entries`, {
    users: [{ userId: 'u_1', traits: { plan: 'pro' } }],
  });
  expect(entered.status).toBe(202);
  expect(entered.body.entries).toEqual([
    { userId: 'u_1', workflowId: `journey:${journey.id}:u_1`, status: 'started' },
  ]);

  const state = await runResult(`journey:${journey.id}:u_1`);
  expect(state.status).toBe('completed');
  expect(state.steps.map((s) => s.stepId)).toEqual(['send', 'end']);

  const track = receiver.received.find((r) => r.path === '/track');
  const identify = receiver.received.find((r) => r.path === '/identify');
  const personas = {
    computation_class: 'journey_step',
    computation_key: key,
    computation_id: `${journey.id}:send`,
    space_id: 'spa_default',
    namespace: 'spa_default',
  };
  expect(track?.body).toMatchObject({
    type: 'track',
    event: 'Audience Entered',
    userId: 'u_1',
    properties: { audience_key: key, [key]: true },
    context: { personas },
  });
  expect(identify?.body).toMatchObject({
    type: 'identify',
    userId: 'u_1',
    traits: { [key]: true },
    context: { personas },
  });
  const trackBody = track?.body as { messageId: string; timestamp: string };
  expect(trackBody.messageId).toMatch(/^sj-[0-9a-f]{40}$/);
  expect(track?.headers['idempotency-key']).toBe(trackBody.messageId);
  expect(Number.isNaN(Date.parse(trackBody.timestamp))).toBe(false);

  const rows = await deliveriesOf(`journey:${journey.id}:u_1`);
  expect(rows.map((r) => [r.status, r.http_status])).toEqual([
    ['delivered', 200],
    ['delivered', 200],
  ]);

  // Entering the same user again into a `once` journey makes no second run and no second delivery.
  const again = await sojourn.call('POST', `/v1/journeys/${journey.id}/entries`, {
    users: [{ userId: 'u_1' }],
  });
  expect(again.body.entries[0].status).toBe('already_entered');
  await new Promise((r) => setTimeout(r, 1000));
  expect(receiver.received.filter((r) => r.path === '/track' || r.path === '/identify')).toHaveLength(2);

  // Operators find the run by search attribute and see the send activities in its history.
  const cli = await findOrInstallTemporalCli(path.resolve('.data'));
  const address = process.env.TEMPORAL_ADDRESS as string;
  let listed = '';
  for (let i = 0; i < 50 && !listed.includes(`journey:${journey.id}:u_1`); i++) {
    listed = execFileSync(
      cli,
      ['workflow', 'list', '--address', address, '--query', `JourneyId="${journey.id}"`],
      { encoding: 'utf8' },
    );
    if (!listed.includes(journey.id)) await new Promise((r) => setTimeout(r, 200));
  }
  expect(listed).toContain(`journey:${journey.id}:u_1`);
  const shown = JSON.parse(
    execFileSync(
      cli,
      [
        'workflow',
        'show',
        '--address',
        address,
        '--workflow-id',
        `journey:${journey.id}:u_1`,
        '--output',
        'json',
      ],
      {
        encoding: 'utf8',
      },
    ),
  ) as { events: ShownEvent[] };
  const scheduled = shown.events.flatMap(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
  );
  expect(scheduled).toEqual(['deliverEvent', 'deliverEvent']);
  // The reads are local activities: markers in the history, named by their activity type.
  expect(shown.events.flatMap(localActivityType)).toEqual([
    'loadJourneyPlan',
    'resolveIdentifiers',
    'resolveIdentifiers',
  ]);
});

interface ShownPayload {
  data?: unknown;
}
interface ShownEvent {
  activityTaskScheduledEventAttributes?: { activityType?: { name: string } };
  markerRecordedEventAttributes?: {
    markerName?: string;
    details?: Record<string, { payloads?: ShownPayload[] }>;
  };
}

/** The activity type a local-activity marker records (core's bookkeeping payload, json/plain). */
function localActivityType(event: ShownEvent): string[] {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_local_activity') return [];
  const data = marker.details?.data?.payloads?.[0]?.data;
  const record = (typeof data === 'string' ? JSON.parse(Buffer.from(data, 'base64').toString()) : data) as {
    activity_type?: string;
  };
  return record?.activity_type ? [record.activity_type] : [];
}

test('a webhook answering 500 twice is retried with the same messageId until 200; a 400 fails without retry and the run completes', async () => {
  receiver.reply = (req, n) => {
    if (req.path === '/flaky')
      return n <= 2 ? { status: 500, body: { error: 'boom' } } : { status: 200, body: { ok: true } };
    if (req.path === '/rejecting') return { status: 400, body: { error: 'bad payload' } };
    return { status: 200 };
  };
  const flaky = await createDestination(sojourn, webhook('Flaky', '/flaky', 'track'));
  const rejecting = await createDestination(sojourn, webhook('Rejecting', '/rejecting', 'identify'));
  const journey = await publishSendJourney(sojourn, 'Retry Journey', [
    { destinationId: flaky, call: 'track' },
    { destinationId: rejecting, call: 'identify' },
  ]);
  await sojourn.call('POST', `/v1/journeys/${journey.id}/entries`, { users: [{ userId: 'u_retry' }] });
  const workflowId = `journey:${journey.id}:u_retry`;
  const state = await runResult(workflowId);
  expect(state.status).toBe('completed');

  const flakyHits = receiver.received.filter((r) => r.path === '/flaky');
  expect(flakyHits).toHaveLength(3);
  const ids = new Set(flakyHits.map((r) => (r.body as { messageId: string }).messageId));
  expect(ids.size).toBe(1);
  expect(receiver.received.filter((r) => r.path === '/rejecting')).toHaveLength(1);

  const rows = await deliveriesOf(workflowId);
  const flakyRows = rows.filter((r) => r.message_id === [...ids][0]);
  expect(flakyRows.map((r) => [r.attempt, r.status, r.http_status])).toEqual([
    [1, 'retrying', 500],
    [2, 'retrying', 500],
    [3, 'delivered', 200],
  ]);
  const rejected = rows.filter((r) => r.message_id !== [...ids][0]);
  expect(rejected.map((r) => [r.attempt, r.status, r.http_status])).toEqual([[1, 'failed', 400]]);
  expect(state.deliveries.map((d) => d.status).sort()).toEqual(['delivered', 'failed']);
});
