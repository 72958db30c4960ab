/**
 * Issue 7, input limits: 32 KB per event, 500 KB per ingestion request, 2 MB per management request,
 * bounded lists, per-key ingestion rate limits (429 + Retry-After) and request timeouts, each a clear
 * 4xx (or 503 for a timeout) in the usual error shape.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { errorHandler } from '../../api/errors';
import { rateLimitPerKey, requestTimeout } from '../../api/limits';
import { startAppUnderTest, type AppUnderTest } from '../helpers/app-under-test';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

let sojourn: TestSojourn;
let api: AppUnderTest;
const RATE = 5;

beforeAll(async () => {
  sojourn = await startSojourn({ ingestRateLimit: RATE });
  api = await startAppUnderTest(sojourn);
});
afterAll(async () => {
  await api?.close();
  await sojourn?.stop();
});

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const post = (path: string, body: unknown, authorization: string) =>
  fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

test('an event over 32 KB is refused with 413, alone or inside a batch', async () => {
  const big = { userId: 'u_big', event: 'Big', properties: { blob: 'x'.repeat(33 * 1024) } };
  const alone = await post('/v1/track', big, basic(sojourn.config.writeKey));
  expect(alone.status).toBe(413);
  expect((await alone.json()).error).toMatchObject({
    code: 'event_too_large',
    message: expect.stringMatching(/32 KB/),
  });
  const inBatch = await post(
    '/v1/batch',
    {
      batch: [
        { type: 'track', userId: 'u', event: 'ok' },
        { type: 'track', ...big },
      ],
    },
    basic(sojourn.config.writeKey),
  );
  expect(inBatch.status).toBe(413);
  expect((await inBatch.json()).error.issues[0].path).toBe('batch[1]');
});

test('an ingestion request over 500 KB is refused with 413 before it is parsed', async () => {
  const items = Array.from({ length: 30 }, (_, i) => ({
    type: 'track',
    userId: `u${i}`,
    event: 'e',
    properties: { blob: 'y'.repeat(20 * 1024) },
  }));
  const res = await post('/v1/batch', { batch: items }, basic(sojourn.config.writeKey));
  expect(res.status).toBe(413);
  expect((await res.json()).error.code).toBe('payload_too_large');
});

test('a management request over 2 MB is refused with 413; list sizes are bounded (400)', async () => {
  const auth = `Bearer ${sojourn.config.apiKey}`;
  const huge = await post(
    '/v1/destinations',
    { name: 'x', destination: 'webhook', settings: { blob: 'z'.repeat(2.1 * 1024 * 1024) } },
    auth,
  );
  expect(huge.status).toBe(413);
  const tooMany = await fetch(`${api.url}/v1/deliveries?limit=1001`, { headers: { authorization: auth } });
  expect(tooMany.status).toBe(400);
  const subscriptions = Array.from({ length: 51 }, () => ({
    subscribe: 'type = "track"',
    partnerAction: 'send',
  }));
  expect(
    (await post('/v1/destinations', { name: 'x', destination: 'webhook', subscriptions }, auth)).status,
  ).toBe(400);
});

test('ingestion is rate limited per write key: 429 with Retry-After; another key is not affected', async () => {
  const statuses: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < RATE * 2 + 5; i++) {
    const res = await post('/v1/track', { userId: 'u_rl', event: 'Rate' }, basic(sojourn.config.writeKey));
    statuses.push(res.status);
    if (res.status === 429) {
      retryAfter = res.headers.get('retry-after');
      expect((await res.json()).error.code).toBe('rate_limited');
    }
  }
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(RATE * 2 - 1);
  expect(statuses).toContain(429);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);

  const other = await sojourn.call('POST', '/v1/keys', { kind: 'write', name: 'other' });
  expect((await post('/v1/track', { userId: 'u_rl', event: 'Rate' }, basic(other.body.key))).status).toBe(
    200,
  );
});

test('the token bucket refills over time', () => {
  let now = 0;
  const limiter = rateLimitPerKey({ perSecond: 2, burst: 2, now: () => now });
  const run = () =>
    new Promise<number>((resolve) => {
      const res = { locals: { sojournKeyId: 'k' }, set: () => undefined } as never;
      limiter({ ip: '127.0.0.1' } as never, res, (error?: unknown) =>
        resolve(error ? (error as { status: number }).status : 200),
      );
    });
  return (async () => {
    expect([await run(), await run(), await run()]).toEqual([200, 200, 429]);
    now += 500; // one token back
    expect(await run()).toBe(200);
    expect(await run()).toBe(429);
  })();
});

test('a request not answered in time gets 503 timeout with Retry-After', async () => {
  const app = express();
  app.use(requestTimeout(100));
  app.get('/slow', async (_req, res) => {
    await new Promise((r) => setTimeout(r, 400));
    res.json({ late: true }); // too late: must not crash the process
  });
  app.use(errorHandler(() => undefined));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await res.json()).error.code).toBe('timeout');
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
