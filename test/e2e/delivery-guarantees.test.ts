import type { RunState } from '../../workflows/types';
import {
  createDestination,
  enterUsers,
  IDEMPOTENCY_KEY_HEADER,
  publishSendJourney,
  webhookTo,
} from '../helpers/journey-fixtures';
import type { Received, Receiver } from '../helpers/receiver';
import type { TestSojourn } from '../helpers/sojourn';
import { useSojournWithReceiver } from '../helpers/with-sojourn';

/** SPEC §5 against a real HTTP server on loopback: what is retried, when, with which messageId, and the log. */
let sojourn: TestSojourn;
let receiver: Receiver;

useSojournWithReceiver(
  (started, listening) => {
    sojourn = started;
    receiver = listening;
  },
  { listFlushIntervalMs: 500 },
);

const webhook = (name: string, pathName: string) =>
  webhookTo(receiver, name, pathName, { headers: IDEMPOTENCY_KEY_HEADER });

const hits = (path: string): Received[] => receiver.received.filter((r) => r.path === path);
const messageIdOf = (r: Received | undefined): string => (r?.body as { messageId: string }).messageId;

interface LoggedDelivery {
  messageId: string;
  attempt: number;
  status: string;
  httpStatus: number | null;
  latencyMs: number;
  request: Array<{ url: string; method: string; body?: unknown }>;
  response: Array<{ status: number; body: unknown } | null>;
  error: string | null;
}

/** The deliveries log as operators read it: GET /v1/deliveries, oldest first here. */
async function logOf(journeyId: string, destinationId: string): Promise<LoggedDelivery[]> {
  const res = await sojourn.call<{ deliveries: LoggedDelivery[] }>(
    'GET',
    `/v1/deliveries?journeyId=${journeyId}&stepId=send&destinationId=${destinationId}`,
  );
  expect(res.status).toBe(200);
  return res.body.deliveries.reverse();
}

async function runOne(name: string, destinationId: string, userId: string) {
  const journey = await publishSendJourney(sojourn, name, [{ destinationId, call: 'track' }]);
  await enterUsers(sojourn, journey.id, [userId]);
  const state = (await sojourn.temporal.workflow
    .getHandle(`journey:${journey.id}:${userId}`)
    .result()) as RunState;
  return { journey, state };
}

test('429 with Retry-After: 2 is retried no sooner than 2 s later, with the same messageId; the log shows both attempts', async () => {
  receiver.reply = (req, n) =>
    req.path === '/ra' && n === 1
      ? { status: 429, headers: { 'retry-after': '2' }, body: { error: 'slow down' } }
      : { status: 200, body: { ok: true } };
  const destinationId = await createDestination(sojourn, webhook('Retry-After hook', '/ra'));
  const { journey, state } = await runOne('Retry After Journey', destinationId, 'ra_1');
  expect(state.status).toBe('completed');

  const [first, second, ...more] = hits('/ra');
  expect(more).toEqual([]);
  expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
  expect(messageIdOf(second)).toBe(messageIdOf(first));
  expect(second?.headers['idempotency-key']).toBe(messageIdOf(first));

  const log = await logOf(journey.id, destinationId);
  expect(log.map((d) => [d.attempt, d.status, d.httpStatus, d.messageId])).toEqual([
    [1, 'retrying', 429, messageIdOf(first)],
    [2, 'delivered', 200, messageIdOf(first)],
  ]);
  expect(log[0]?.response[0]).toMatchObject({ status: 429, body: { error: 'slow down' } });
  expect(log[0]?.request[0]).toMatchObject({
    method: 'POST',
    url: `${receiver.url}/ra`,
    body: { messageId: messageIdOf(first) },
  });
  expect(log.every((d) => typeof d.latencyMs === 'number')).toBe(true);
});

test('503s are retried until the destination answers 200, each attempt logged', async () => {
  receiver.reply = (req, n) =>
    req.path === '/unavailable' && n <= 3
      ? { status: 503, body: { error: 'down' } }
      : { status: 200, body: { ok: true } };
  const destinationId = await createDestination(sojourn, webhook('Unavailable hook', '/unavailable'));
  const { journey, state } = await runOne('Unavailable Journey', destinationId, 'u503_1');
  expect(state.deliveries.map((d) => d.status)).toEqual(['delivered']);
  expect(new Set(hits('/unavailable').map(messageIdOf)).size).toBe(1);
  expect(hits('/unavailable')).toHaveLength(4);
  const log = await logOf(journey.id, destinationId);
  expect(log.map((d) => [d.attempt, d.status, d.httpStatus])).toEqual([
    [1, 'retrying', 503],
    [2, 'retrying', 503],
    [3, 'retrying', 503],
    [4, 'delivered', 200],
  ]);
});

test('401 is not retried: one attempt, logged as failed, and the run completes', async () => {
  receiver.reply = (req) =>
    req.path === '/unauthorized' ? { status: 401, body: { error: 'bad token' } } : { status: 200 };
  const destinationId = await createDestination(sojourn, webhook('Unauthorized hook', '/unauthorized'));
  const { journey, state } = await runOne('Unauthorized Journey', destinationId, 'u401_1');
  expect(state.status).toBe('completed');
  expect(state.deliveries.map((d) => d.status)).toEqual(['failed']);
  await new Promise((r) => setTimeout(r, 1_000)); // no retry may follow
  expect(hits('/unauthorized')).toHaveLength(1);
  const log = await logOf(journey.id, destinationId);
  expect(log.map((d) => [d.attempt, d.status, d.httpStatus])).toEqual([[1, 'failed', 401]]);
  expect(log[0]?.error).toMatch(/401|Unauthorized/i);
});

test('a list batch answered 429 with Retry-After: 2 is sent again, whole, no sooner than 2 s later, with the same messageIds', async () => {
  receiver.reply = (req, n) => {
    if (req.path === '/list429/audiences') return { status: 200, body: { externalId: 'aud_429' } };
    if (req.path === '/list429/members' && n === 1)
      return { status: 429, headers: { 'retry-after': '2' }, body: { error: 'slow down' } };
    return { status: 200, body: { ok: true } };
  };
  const destinationId = await createDestination(sojourn, {
    name: 'List 429',
    destination: 'webhook-audiences',
    settings: { createAudienceUrl: `${receiver.url}/list429/audiences` },
    subscriptions: [
      {
        subscribe: 'type = "track"',
        partnerAction: 'send',
        mapping: {
          url: `${receiver.url}/list429/members`,
          method: 'POST',
          data: { '@path': '$.' },
          batch_size: 3,
        },
      },
    ],
  });
  const journey = await publishSendJourney(sojourn, 'List 429 Journey', [{ destinationId }]);
  await enterUsers(sojourn, journey.id, ['l429_1', 'l429_2', 'l429_3']);
  const ids = (r: Received | undefined) =>
    (r?.body as Array<{ messageId: string }>).map((m) => m.messageId).sort();
  const delivered = () => new Set(hits('/list429/members').slice(1).flatMap(ids)).size;
  await receiver.waitFor(() => hits('/list429/members').length >= 2 && delivered() >= 3, 60_000);
  const [first, ...later] = hits('/list429/members');
  // Members that arrived after the refused batch may form a batch of their own; the retry is the
  // request carrying the refused members, and it carries exactly them.
  const retry = later.find((r) => ids(r).includes(ids(first)[0] as string));
  expect(ids(retry)).toEqual(ids(first));
  expect((retry?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
  const log = await logOf(journey.id, destinationId);
  expect(log.filter((d) => d.status === 'retrying').map((d) => d.httpStatus)).toEqual(
    Array(ids(first).length).fill(429),
  );
});
