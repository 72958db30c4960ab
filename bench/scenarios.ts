import { Worker } from '@temporalio/worker';
import type { Bench } from './harness';
import { percentile, rssMb, temporalServerPid, until } from './harness';

async function webhookDestination(bench: Bench, pathName: string): Promise<string> {
  const res = await bench.call('POST', '/v1/destinations', {
    name: `bench ${pathName}`,
    destination: 'webhook',
    subscriptions: [
      {
        subscribe: 'type = "track"',
        partnerAction: 'send',
        mapping: { url: `${bench.receiver.url}${pathName}`, method: 'POST', data: { '@path': '$.' } },
      },
    ],
  });
  if (res.status !== 201) throw new Error(`destination: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function publishedJourney(bench: Bench, definition: Record<string, unknown>): Promise<string> {
  const created = await bench.call('POST', '/v1/journeys', definition);
  if (created.status !== 201) throw new Error(`journey: ${JSON.stringify(created.body)}`);
  await bench.call('POST', `/v1/journeys/${created.body.id}/publish`);
  return created.body.id;
}

const sendJourney = (name: string, destinationId: string) => ({
  name,
  entry: { type: 'api' },
  start: 'send',
  steps: [
    { id: 'send', type: 'send', name: 'Send', destinations: [{ destinationId, call: 'track' }], next: 'end' },
    { id: 'end', type: 'exit' },
  ],
});

async function enter(bench: Bench, journeyId: string, userIds: string[], chunk = 500): Promise<void> {
  for (let i = 0; i < userIds.length; i += chunk) {
    const res = await bench.call('POST', `/v1/journeys/${journeyId}/entries`, {
      users: userIds.slice(i, i + chunk).map((userId) => ({ userId })),
    });
    if (res.status !== 202)
      throw new Error(`entries: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
}

function arrivalsByUser(bench: Bench, pathName: string): Map<string, number> {
  const seen = new Map<string, number>();
  for (const r of bench.receiver.received) {
    if (r.path !== pathName) continue;
    const userId = (r.body as { userId?: string }).userId;
    if (userId && !seen.has(userId)) seen.set(userId, r.at);
  }
  return seen;
}

/** Throughput: N users through send(webhook) → exit, against N bare workflows with one no-op activity. */
export async function benchEntries(bench: Bench, users: number) {
  const destinationId = await webhookDestination(bench, '/entries');
  const journeyId = await publishedJourney(bench, sendJourney('Bench Entries', destinationId));
  const ids = Array.from({ length: users }, (_, i) => `bench_u${i}`);
  const started = Date.now();
  await enter(bench, journeyId, ids);
  await until(() => arrivalsByUser(bench, '/entries').size >= users, 600_000, 'entries to arrive');
  const last = Math.max(...arrivalsByUser(bench, '/entries').values());
  const usersPerSecond = users / ((last - started) / 1000);

  // Same server, same worker settings: a worker in this process for the baseline workflow.
  const worker = await Worker.create({
    taskQueue: 'bench-baseline',
    workflowsPath: require.resolve('./baseline-workflows'),
    activities: { noop: async () => undefined },
    connection: await (
      await import('@temporalio/worker')
    ).NativeConnection.connect({ address: bench.stack.temporalAddress }),
  });
  const running = worker.run();
  const t0 = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < users) {
      const i = next++;
      await bench.temporal.workflow.execute('baselineWorkflow', {
        taskQueue: 'bench-baseline',
        workflowId: `baseline-${t0}-${i}`,
      });
    }
  };
  await Promise.all(Array.from({ length: 64 }, lane));
  const baselinePerSecond = users / ((Date.now() - t0) / 1000);
  worker.shutdown();
  await running;
  return {
    users,
    usersPerSecond: round(usersPerSecond),
    baselinePerSecond: round(baselinePerSecond),
    ratio: round(usersPerSecond / baselinePerSecond, 2),
  };
}

/** Latency from entry to receipt, users entered one by one at a steady rate (50/s by default). */
export async function benchLatency(bench: Bench, users: number, perSecond = 50) {
  const pathName = `/latency-${perSecond}`;
  const destinationId = await webhookDestination(bench, pathName);
  const journeyId = await publishedJourney(bench, sendJourney(`Bench Latency ${perSecond}/s`, destinationId));
  const enteredAt = new Map<string, number>();
  const t0 = Date.now();
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < users; i++) {
    const wait = t0 + (i * 1000) / perSecond - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const userId = `lat${perSecond}_u${i}`;
    enteredAt.set(userId, Date.now());
    calls.push(bench.call('POST', `/v1/journeys/${journeyId}/entries`, { users: [{ userId }] }));
  }
  await Promise.all(calls);
  await until(() => arrivalsByUser(bench, pathName).size >= users, 120_000, 'latency users');
  const latencies = [...arrivalsByUser(bench, pathName)]
    .map(([u, at]) => at - (enteredAt.get(u) ?? at))
    .sort((a, b) => a - b);
  return { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), atUsersPerSecond: perSecond };
}

/** Users parked in a 1-day delay: what they cost the worker and the Temporal server. */
export async function benchWaiting(bench: Bench, users: number) {
  const journeyId = await publishedJourney(bench, {
    name: 'Bench Waiting',
    entry: { type: 'api' },
    start: 'wait',
    steps: [
      { id: 'wait', type: 'delay', duration: '1d', next: 'end' },
      { id: 'end', type: 'exit' },
    ],
  });
  const t0 = Date.now();
  await enter(
    bench,
    journeyId,
    Array.from({ length: users }, (_, i) => `wait_u${i}`),
    1000,
  );
  // Every run must have reached its timer, not just been started.
  const query = `JourneyId = "${journeyId}" AND StepId = "wait"`;
  let parked = 0;
  while (parked < users && Date.now() - t0 < 600_000) {
    parked = (await bench.temporal.workflow.count(query)).count;
    if (parked < users) await new Promise((r) => setTimeout(r, 500));
  }
  const seconds = round((Date.now() - t0) / 1000, 1);
  return {
    users,
    parked,
    seconds,
    workerRssMb: rssMb(bench.worker.pid),
    serverRssMb: rssMb(temporalServerPid(bench.stack.temporalAddress)),
  };
}

/** /v1/batch throughput with an event journey attached that some of the events enter. */
export async function benchIngest(bench: Bench, events: number, batchSize = 100) {
  const destinationId = await webhookDestination(bench, '/ingest');
  await publishedJourney(bench, {
    ...sendJourney('Bench Ingest', destinationId),
    entry: {
      type: 'event',
      event: 'Order Completed',
      where: [{ path: 'properties.total', op: 'gte', value: 50 }],
    },
  });
  const auth = `Basic ${Buffer.from(`${bench.env.SOJOURN_WRITE_KEY}:`).toString('base64')}`;
  const t0 = Date.now();
  const batches: Promise<Response>[] = [];
  for (let i = 0; i < events; i += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, events - i) }, (_, j) => {
      const n = i + j;
      return n % 10 === 0
        ? {
            type: 'track',
            userId: `ing_u${n % 500}`,
            event: 'Order Completed',
            properties: { total: 80 },
            messageId: `ing-${n}`,
          }
        : {
            type: 'track',
            userId: `ing_u${n % 500}`,
            event: 'Product Viewed',
            properties: { sku: `sku-${n}` },
            messageId: `ing-${n}`,
          };
    });
    batches.push(
      fetch(`${bench.api.url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
      }),
    );
    if (batches.length >= 4) {
      const res = await batches.shift();
      if (res && res.status !== 200) throw new Error(`batch: ${res.status} ${await res.text()}`);
    }
  }
  for (const res of await Promise.all(batches))
    if (res.status !== 200) throw new Error(`batch: ${res.status}`);
  return { events, eventsPerSecond: round(events / ((Date.now() - t0) / 1000)) };
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
