/**
 * Issue 7, secrets at rest: a destination secret planted through the API never shows up in an API
 * response, a log line, a deliveries-log row or a workflow history (raw or decoded), although the
 * destination really received it; a hostile destination that echoes it back changes nothing.
 */
import { Client } from '@temporalio/client';
import { payloadCodecFor } from '../../security/codec-keys';
import { payloadsOf, textOf } from '../helpers/history';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

const SECRET = 'PLANTED-secret-4c9e1f7a2b';
const USER = 'mi-user';
const FORMS = [
  SECRET,
  Buffer.from(SECRET).toString('base64'),
  Buffer.from(`${USER}:${SECRET}`).toString('base64'),
];

let sojourn: TestSojourn;
let receiver: Receiver;
const logged: string[] = [];
const responses: string[] = [];
const restores: Array<() => void> = [];

function capture(): void {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(
        args
          .map((a) =>
            a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a),
          )
          .join(' '),
      );
    });
    restores.push(() => spy.mockRestore());
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restores.push(() => {
      stream.write = original;
    });
  }
}

async function call(method: string, path: string, body?: unknown) {
  const res = await sojourn.call(method, path, body);
  responses.push(JSON.stringify(res.body));
  return res;
}

beforeAll(async () => {
  capture();
  receiver = await startReceiver();
  // A hostile destination: it echoes the credentials it got, on success and on failure.
  receiver.reply = (request) => {
    const auth = String(request.headers.authorization ?? '');
    const echoed = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString();
    return { status: request.path.startsWith('/fail') ? 400 : 200, body: { echoed, header: auth } };
  };
  sojourn = await startSojourn();
});
afterAll(async () => {
  await sojourn?.stop();
  await receiver?.close();
  for (const restore of restores.reverse()) restore();
});

test('a run delivers to two destinations holding a planted secret, one of them failing', async () => {
  const ids: string[] = [];
  for (const path of ['/ok', '/fail']) {
    const created = await call('POST', '/v1/destinations', {
      name: `Movable Ink ${path}`,
      destination: 'movable-ink',
      settings: { username: USER, password: SECRET, movable_ink_url: `${receiver.url}${path}` },
    });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
    await call('GET', `/v1/destinations/${created.body.id}`);
  }
  const journey = await call('POST', '/v1/journeys', {
    name: 'Secret Journey',
    entry: { type: 'api' },
    start: 'send',
    steps: [
      {
        id: 'send',
        type: 'send',
        name: 'Send',
        destinations: ids.map((destinationId) => ({ destinationId, call: 'track' })),
        next: 'end',
      },
      { id: 'end', type: 'exit' },
    ],
  });
  await call('POST', `/v1/journeys/${journey.body.id}/publish`);
  const entered = await call('POST', `/v1/journeys/${journey.body.id}/entries`, {
    users: [{ userId: 'u_secret', traits: { plan: 'pro' } }],
  });
  const workflowId = entered.body.entries[0].workflowId as string;
  await sojourn.temporal.workflow.getHandle(workflowId).result();
  await call('GET', `/v1/journeys/${journey.body.id}/runs/u_secret`);
  await call('GET', `/v1/deliveries?journeyId=${journey.body.id}`);
  await call('GET', '/v1/catalog/movable-ink');

  // The destinations did get the secret (as HTTP Basic credentials), so there was something to leak.
  const auths = receiver.received.map((r) => String(r.headers.authorization ?? ''));
  expect(auths.some((a) => a === `Basic ${Buffer.from(`${USER}:${SECRET}`).toString('base64')}`)).toBe(true);
  expect(receiver.received.some((r) => r.path.startsWith('/fail'))).toBe(true);

  const deliveries = await sojourn.db.query('SELECT * FROM deliveries WHERE journey_id = $1', [
    journey.body.id,
  ]);
  expect(deliveries.rows.map((r) => r.status).sort()).toEqual(
    expect.arrayContaining(['delivered', 'failed']),
  );
  const deliveriesText = JSON.stringify(deliveries.rows);

  const raw = new Client({
    connection: sojourn.temporal.connection,
    namespace: sojourn.config.temporalNamespace,
  });
  const history = await raw.workflow.getHandle(workflowId).fetchHistory();
  const rawText = textOf(history).join('\n');
  const payloads = payloadsOf(history);
  const decoded = await payloadCodecFor(sojourn.config).decode(payloads);
  const decodedText = decoded.map((p) => Buffer.from(p.data ?? []).toString()).join('\n');
  expect(decodedText).toContain('u_secret'); // decoding worked

  const stored = await sojourn.db.query(
    'SELECT settings, settings_secret FROM destinations WHERE id = ANY($1)',
    [ids],
  );
  const places: Record<string, string> = {
    'API responses': responses.join('\n'),
    'log lines': logged.join('\n'),
    'deliveries log': deliveriesText,
    'raw workflow history': rawText,
    'decoded workflow history': decodedText,
    'destination rows': JSON.stringify(stored.rows),
  };
  for (const [place, text] of Object.entries(places)) {
    for (const form of FORMS) expect([place, text.includes(form)]).toEqual([place, false]);
  }
  expect(responses.join('\n')).toContain('[redacted]');
  expect(stored.rows[0].settings_secret).toMatch(/^v1:[\w-]+:/); // sealed, tagged with its key id
});
