import type { ChildProcess } from 'node:child_process';
import { createDestination, publishSendJourney, webhookTo } from '../helpers/journey-fixtures';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';
import { exited, spawnWorker } from './worker-process';

const USERS = 500;
// Crashes and restarts wait on real timeouts and reconnects: minutes on a loaded 2-core machine.
jest.setTimeout(300_000);

let sojourn: TestSojourn;
let receiver: Receiver;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  receiver = await startReceiver();
  // The API in this process; the worker in a child process this test kills.
  sojourn = await startSojourn({ deliveryAttemptTimeoutMs: 3_000 }, { worker: false });
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await sojourn?.stop();
  await receiver?.close();
});

test('kill -9 of the worker mid-send loses no delivery; repeats carry the same messageId', async () => {
  // Slow answers keep many deliveries in flight when the worker dies.
  receiver.reply = () => ({ status: 200, delayMs: 150 });
  const workerEnv = {
    SOJOURN_TASK_QUEUE: sojourn.config.taskQueue,
    SOJOURN_DELIVERY_ATTEMPT_TIMEOUT_MS: '3000',
    SOJOURN_DELIVERY_INITIAL_BACKOFF_MS: '200',
    SOJOURN_DELIVERY_MAX_BACKOFF_MS: '2000',
  };
  worker = spawnWorker(workerEnv);
  const destinationId = await createDestination(sojourn, webhookTo(receiver, 'Crash hook', '/crash'));
  const journey = await publishSendJourney(sojourn, 'Crash Test', [{ destinationId, call: 'track' }]);
  const entered = await sojourn.call('POST', `/v1/journeys/${journey.id}/entries`, {
    users: Array.from({ length: USERS }, (_, i) => ({ userId: `crash_${i}` })),
  });
  expect(entered.status).toBe(202);

  await receiver.waitFor((all) => all.length >= USERS / 5, 120_000);
  const killedAt = Date.now();
  worker.kill('SIGKILL');
  await exited(worker);
  const beforeKill = receiver.received.length;
  worker = spawnWorker(workerEnv);

  const unique = (key: 'userId' | 'messageId') => new Set(receiver.received.map((r) => (r.body as Record<string, string>)[key]));
  await receiver.waitFor(() => unique('userId').size >= USERS, 180_000);

  const byMessage = new Map<string, number[]>();
  for (const r of receiver.received) {
    const id = (r.body as { messageId: string }).messageId;
    byMessage.set(id, [...(byMessage.get(id) ?? []), r.at]);
  }
  const repeats = receiver.received.length - byMessage.size;
  console.log(`worker crash: ${receiver.received.length} requests, ${byMessage.size} unique messageIds, ${repeats} raw repeats, ${beforeKill} before the kill`);

  expect(unique('userId').size).toBe(USERS); // nothing lost
  expect(byMessage.size).toBe(USERS); // after dedupe by messageId: each event exactly once
  // Only a request in flight at the kill may repeat: its first arrival is within one answer time of it.
  for (const arrivals of byMessage.values()) {
    if (arrivals.length > 1) expect(arrivals[0]).toBeGreaterThan(killedAt - 3_000);
  }
  // The deliveries log has every one (the last attempts record just after their answer).
  let logged = 0;
  for (let i = 0; i < 100 && logged < USERS; i++) {
    const rows = await sojourn.db.query(
      "SELECT count(DISTINCT message_id) AS n FROM deliveries WHERE journey_id = $1 AND status = 'delivered'",
      [journey.id],
    );
    logged = Number(rows.rows[0].n);
    if (logged < USERS) await new Promise((r) => setTimeout(r, 100));
  }
  expect(logged).toBe(USERS);
});
