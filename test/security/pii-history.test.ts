/**
 * Issue 7, PII in Temporal: every payload a run writes is encrypted by the payload codec, so a raw
 * history (read without the codec) holds no email, phone, trait value or event property in clear;
 * the codec endpoint gives the Temporal UI the decoded view, behind auth and CORS.
 */
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { addIdentifiers, upsertProfiles } from '../../db/profiles';
import { codecTokenFor, payloadCodecFor } from '../../security/codec-keys';
import { ENCRYPTED_ENCODING } from '../../security/payload-codec';
import { JourneyIdKey, JourneyVersionKey, StepIdKey, UserIdKey } from '../../workflows/search-attributes';
import { payloadsOf, textOf } from '../helpers/history';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

let sojourn: TestSojourn;
let receiver: Receiver;
let rawClient: Client;

const EMAIL = 'ada.lovelace.pii@example.org';
const PHONE = '+44 20 7946 0321';
const FIRST_NAME = 'Adelaide-Planted';
const LTV = 987654.321;
const COUPON = 'COUPON-PLANTED-7781';
const PLANTED = [EMAIL, PHONE, FIRST_NAME, String(LTV), COUPON];

beforeAll(async () => {
  receiver = await startReceiver();
  sojourn = await startSojourn();
  // The same server, but no codec: what anyone with access to Temporal (or its database) sees.
  rawClient = new Client({
    connection: sojourn.temporal.connection,
    namespace: sojourn.config.temporalNamespace,
  });
});
afterAll(async () => {
  await sojourn?.stop();
  await receiver?.close();
});

async function publishedJourney(destinationId: string): Promise<{ id: string; version: number }> {
  const created = await sojourn.call('POST', '/v1/journeys', {
    name: 'PII Journey',
    entry: { type: 'api' },
    start: 'send',
    steps: [
      {
        id: 'send',
        type: 'send',
        name: 'Send PII',
        destinations: [
          {
            destinationId,
            call: 'identify',
            enrichment: { traits: { first_name: 'firstName', ltv: 'ltv', phone: 'phone' } },
          },
        ],
        next: 'end',
      },
      { id: 'end', type: 'exit' },
    ],
  });
  expect(created.status).toBe(201);
  const published = await sojourn.call('POST', `/v1/journeys/${created.body.id}/publish`);
  expect(published.status).toBe(200);
  return { id: created.body.id, version: published.body.version };
}

/**
 * Markers carry records Temporal's core writes in clear: a local activity's bookkeeping (sequence,
 * attempt, activity id and type, times; its result itself is encrypted) and a patch's id. They hold
 * no user data, which the planted-values check below still proves for the whole history.
 */
const BOOKKEEPING_KEYS = [
  ['seq', 'attempt', 'activity_id', 'activity_type', 'complete_time', 'backoff', 'original_schedule_time'],
  ['id', 'deprecated'],
].map((keys) => new Set(keys));
function isMarkerBookkeeping(payload: Payload): boolean {
  if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== 'json/plain') return false;
  const record = JSON.parse(Buffer.from(payload.data ?? []).toString()) as Record<string, unknown>;
  return BOOKKEEPING_KEYS.some((keys) => Object.keys(record).every((key) => keys.has(key)));
}

/** A webhook destination that receives identify calls at `pathName` on the local receiver. */
async function identifyHook(name: string, pathName: string): Promise<string> {
  const destination = await sojourn.call('POST', '/v1/destinations', {
    name,
    destination: 'webhook',
    subscriptions: [
      {
        subscribe: 'type = "identify"',
        partnerAction: 'send',
        mapping: { url: `${receiver.url}${pathName}`, method: 'POST', data: { '@path': '$.' } },
      },
    ],
  });
  expect(destination.status).toBe(201);
  return destination.body.id as string;
}

let historyText = '';
let decodedText = '';
let workflowIds: string[] = [];
const encryptedPayloads: Payload[] = [];

test('a run carrying an email, a phone, traits and an event property completes and delivers them', async () => {
  const journey = await publishedJourney(await identifyHook('PII hook', '/pii'));

  const userId = `u_pii_${Date.now()}`;
  const traits = { email: EMAIL, phone: PHONE, firstName: FIRST_NAME, ltv: LTV };
  await upsertProfiles(sojourn.db, [{ userId, traits }]);
  await addIdentifiers(sojourn.db, userId, [
    { type: 'email', value: EMAIL },
    { type: 'phone', value: PHONE },
  ]);
  const entered = await sojourn.call('POST', `/v1/journeys/${journey.id}/entries`, {
    users: [{ userId, traits }],
  });
  expect(entered.status).toBe(202);

  // A second run whose input carries an event's properties, as an event-triggered entry does.
  const eventUser = `${userId}_evt`;
  await upsertProfiles(sojourn.db, [{ userId: eventUser, traits }]);
  const eventRun = await sojourn.temporal.workflow.start('journeyWorkflow', {
    workflowId: `journey:${journey.id}:${eventUser}`,
    taskQueue: sojourn.config.taskQueue,
    args: [
      {
        journeyId: journey.id,
        version: journey.version,
        userId: eventUser,
        entryNo: 1,
        entryProperties: { coupon: COUPON, email: EMAIL },
      },
    ],
    typedSearchAttributes: [
      { key: JourneyIdKey, value: journey.id },
      { key: JourneyVersionKey, value: journey.version },
      { key: UserIdKey, value: eventUser },
      { key: StepIdKey, value: 'send' },
    ],
  });

  workflowIds = [entered.body.entries[0].workflowId, eventRun.workflowId];
  for (const id of workflowIds) await sojourn.temporal.workflow.getHandle(id).result();
  // The receiver got the personal data: it did travel through activities and their results.
  const bodies = JSON.stringify(receiver.received.map((r) => r.body));
  for (const value of [EMAIL, PHONE, FIRST_NAME]) expect(bodies).toContain(value);

  for (const id of workflowIds) {
    const history = await rawClient.workflow.getHandle(id).fetchHistory();
    historyText += textOf(history).join('\n');
    const payloads = payloadsOf(history).filter((p) => !isMarkerBookkeeping(p));
    encryptedPayloads.push(...payloads);
    const decoded = await payloadCodecFor(sojourn.config).decode(payloads);
    decodedText += decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
  }
});

test('the raw history holds none of it in clear: every payload is encrypted', () => {
  expect(encryptedPayloads.length).toBeGreaterThan(5);
  for (const payload of encryptedPayloads) {
    expect(Buffer.from(payload.metadata?.encoding ?? []).toString()).toBe(ENCRYPTED_ENCODING);
  }
  for (const value of PLANTED) {
    expect(historyText).not.toContain(value);
    expect(historyText).not.toContain(Buffer.from(value).toString('base64'));
  }
});

test('decoded with the codec, the same history does hold it (so the check above is not vacuous)', () => {
  for (const value of PLANTED) expect(decodedText).toContain(value);
});

test('a failed delivery, whose error may quote what was sent, leaves its message encoded in the raw history', async () => {
  receiver.reply = (req) =>
    req.path === '/refuse'
      ? { status: 400, body: { error: `invalid email ${EMAIL}` } }
      : { status: 200, body: {} };
  const journey = await publishedJourney(await identifyHook('Refusing hook', '/refuse'));
  const entered = await sojourn.call('POST', `/v1/journeys/${journey.id}/entries`, {
    users: [{ userId: `u_refused_${Date.now()}` }],
  });
  const workflowId = entered.body.entries[0].workflowId as string;
  await sojourn.temporal.workflow.getHandle(workflowId).result();

  const raw = await rawClient.workflow.getHandle(workflowId).fetchHistory();
  const failures = (raw.events ?? []).flatMap((e) =>
    e.activityTaskFailedEventAttributes?.failure ? [e.activityTaskFailedEventAttributes.failure] : [],
  );
  expect(failures.length).toBeGreaterThan(0);
  for (const failure of failures) {
    expect(failure.message).toBe('Encoded failure');
    expect(Buffer.from(failure.encodedAttributes?.metadata?.encoding ?? []).toString()).toBe(
      ENCRYPTED_ENCODING,
    );
  }
  expect(textOf(raw).join('\n')).not.toContain(EMAIL);
  // Through the codec (as the Temporal UI reads it) the error is all there.
  const decoded = await payloadCodecFor(sojourn.config).decode(
    failures.map((f) => f.encodedAttributes as Payload),
  );
  expect(Buffer.from(decoded[0]?.data ?? []).toString()).toMatch(/400|Bad Request/);
});

test('user ids stay visible in workflow ids and search attributes, by design, so operators find runs', async () => {
  const { workflowExecutionInfo: executionInfo } = await rawClient.workflowService.describeWorkflowExecution({
    namespace: sojourn.config.temporalNamespace,
    execution: { workflowId: workflowIds[0] },
  });
  expect(executionInfo?.execution?.workflowId).toContain('u_pii_');
  const userIdAttribute = executionInfo?.searchAttributes?.indexedFields?.UserId?.data;
  expect(Buffer.from(userIdAttribute ?? []).toString()).toMatch(/^"u_pii_\d+"$/);
});

describe('codec endpoint (Temporal remote codec protocol)', () => {
  const toJson = (p: Payload) => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? []).toString('base64'),
  });
  const decodeWith = (path: string, headers: Record<string, string>) =>
    fetch(`${sojourn.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ payloads: encryptedPayloads.map(toJson) }),
    });

  test('decodes for the management key and for the UI codec token; refuses anyone else', async () => {
    const byKey = await decodeWith('/codec/decode', { authorization: `Bearer ${sojourn.config.apiKey}` });
    expect(byKey.status).toBe(200);
    const body = (await byKey.json()) as { payloads: Array<{ data: string }> };
    expect(body.payloads).toHaveLength(encryptedPayloads.length);
    expect(body.payloads.map((p) => Buffer.from(p.data, 'base64').toString()).join('\n')).toContain(EMAIL);

    const token = codecTokenFor(sojourn.config);
    expect((await decodeWith(`/codec/t/${token}/decode`, {})).status).toBe(200);
    expect((await decodeWith('/codec/decode', {})).status).toBe(401);
    expect((await decodeWith('/codec/decode', { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await decodeWith(`/codec/t/${token}x/decode`, {})).status).toBe(401);
  });

  test('encode then decode round-trips, and a tampered payload is a 400, not a 500', async () => {
    const auth = { authorization: `Bearer ${sojourn.config.apiKey}`, 'content-type': 'application/json' };
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('{"x":1}').toString('base64'),
    };
    const encoded = await (
      await fetch(`${sojourn.url}/codec/encode`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ payloads: [plain] }),
      })
    ).json();
    expect(Buffer.from(encoded.payloads[0].metadata.encoding, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    const decoded = await (
      await fetch(`${sojourn.url}/codec/decode`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(encoded),
      })
    ).json();
    expect(Buffer.from(decoded.payloads[0].data, 'base64').toString()).toBe('{"x":1}');
    const tampered = {
      payloads: [{ ...encoded.payloads[0], data: Buffer.from('x'.repeat(64)).toString('base64') }],
    };
    expect(
      (
        await fetch(`${sojourn.url}/codec/decode`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify(tampered),
        })
      ).status,
    ).toBe(400);
  });

  test('CORS: the Temporal UI origins get a preflight answer and CORS headers; other origins do not', async () => {
    for (const origin of ['http://localhost:8233', 'http://127.0.0.1:8233']) {
      const preflight = await fetch(`${sojourn.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace,authorization',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');
      const post = await decodeWith('/codec/decode', {
        origin,
        authorization: `Bearer ${sojourn.config.apiKey}`,
      });
      expect(post.headers.get('access-control-allow-origin')).toBe(origin);
    }
    const evil = await fetch(`${sojourn.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});
