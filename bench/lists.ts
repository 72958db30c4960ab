import type { Bench } from './harness';
import { until } from './harness';

const PATH = '/bench-list';

/**
 * List additions end to end: `members` users entered into a journey whose send step goes to a
 * webhook-audiences list, until every one of them has reached the server in a batch.
 */
export async function benchLists(bench: Bench, members: number): Promise<Record<string, number>> {
  const previous = bench.receiver.reply;
  bench.receiver.reply = (req, n) =>
    req.path === `${PATH}/audiences` ? { status: 200, body: { externalId: 'aud_bench' } } : previous(req, n);
  const destination = await bench.call('POST', '/v1/destinations', {
    name: 'bench list',
    destination: 'webhook-audiences',
    settings: { createAudienceUrl: `${bench.receiver.url}${PATH}/audiences` },
    rateLimit: 0,
    subscriptions: [
      {
        subscribe: 'type = "track"',
        partnerAction: 'send',
        mapping: {
          url: `${bench.receiver.url}${PATH}/members`,
          method: 'POST',
          data: { '@path': '$.' },
          batch_size: 2_500,
        },
      },
    ],
  });
  if (destination.status !== 201) throw new Error(`destination: ${JSON.stringify(destination.body)}`);
  const created = await bench.call('POST', '/v1/journeys', {
    name: 'Bench Lists',
    entry: { type: 'api' },
    start: 'send',
    steps: [
      {
        id: 'send',
        type: 'send',
        name: 'Listed',
        destinations: [{ destinationId: destination.body.id }],
        next: 'end',
      },
      { id: 'end', type: 'exit' },
    ],
  });
  if (created.status !== 201) throw new Error(`journey: ${JSON.stringify(created.body)}`);
  await bench.call('POST', `/v1/journeys/${created.body.id}/publish`);

  const batches = () => bench.receiver.received.filter((r) => r.path === `${PATH}/members`);
  const arrived = () => batches().reduce((n, r) => n + (r.body as unknown[]).length, 0);
  const started = Date.now();
  for (let i = 0; i < members; i += 1_000) {
    const users = Array.from({ length: Math.min(1_000, members - i) }, (_, j) => ({
      userId: `bench_list_${i + j}`,
    }));
    const res = await bench.call('POST', `/v1/journeys/${created.body.id}/entries`, { users });
    if (res.status !== 202)
      throw new Error(`entries: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  const enteredSeconds = (Date.now() - started) / 1000;
  await until(() => arrived() >= members, 1_800_000, 'list members to arrive');
  const last = Math.max(...batches().map((r) => r.at));
  const seconds = (last - started) / 1000;
  return {
    members,
    requests: batches().length,
    enteredSeconds: Math.round(enteredSeconds * 10) / 10,
    /** From the first entry call to the last member at the server. */
    seconds: Math.round(seconds * 10) / 10,
    membersPerSecond: Math.round(members / seconds),
  };
}
