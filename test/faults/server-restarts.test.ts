import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../../db/migrate';
import { getFreePort, startTemporalDevServer } from '../../scripts/stack';
import { findOrInstallTemporalCli } from '../../scripts/temporal-cli';
import { createDestination, publishSendJourney, webhookTo } from '../helpers/journey-fixtures';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';
import { spawnPostgres } from './worker-process';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Crashes and restarts wait on real timeouts and reconnects: minutes on a loaded 2-core machine.
jest.setTimeout(300_000);

let tempDir: string;
let receiver: Receiver;

beforeAll(async () => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sojourn-faults-'));
  fs.chmodSync(tempDir, 0o755);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  fs.rmSync(tempDir, { recursive: true, force: true });
});

/** A destination and a journey send → delay → send → exit, published; returns its id. */
async function twoSendJourney(sojourn: TestSojourn, pathName: string): Promise<string> {
  const destinationId = await createDestination(sojourn, webhookTo(receiver, 'Fault hook', pathName));
  const journey = await sojourn.call('POST', '/v1/journeys', {
    name: `Fault ${pathName}`,
    entry: { type: 'api' },
    start: 'first',
    steps: [
      { id: 'first', type: 'send', name: 'First', destinations: [{ destinationId, call: 'track' }], next: 'wait' },
      { id: 'wait', type: 'delay', duration: '1d', next: 'second' },
      { id: 'second', type: 'send', name: 'Second', destinations: [{ destinationId, call: 'track' }], next: 'end' },
      { id: 'end', type: 'exit' },
    ],
  });
  await sojourn.call('POST', `/v1/journeys/${journey.body.id}/publish`);
  return journey.body.id;
}

function uniqueMessages(pathName: string): Set<string> {
  return new Set(receiver.received.filter((r) => r.path === pathName).map((r) => (r.body as { messageId: string }).messageId));
}

async function enter(sojourn: TestSojourn, journeyId: string, prefix: string, users: number): Promise<void> {
  const res = await sojourn.call('POST', `/v1/journeys/${journeyId}/entries`, {
    users: Array.from({ length: users }, (_, i) => ({ userId: `${prefix}${i}` })),
  });
  expect(res.status).toBe(202);
}

test('the Temporal server stopped and restarted mid-run (same SQLite file): every run completes', async () => {
  const cliPath = await findOrInstallTemporalCli(path.resolve('.data'));
  const [port, uiPort] = [await getFreePort(), await getFreePort()];
  const serverOptions = { cliPath, port, uiPort, dbFile: path.join(tempDir, 'temporal.db'), namespace: 'default', logFile: path.join(tempDir, 'temporal.log'), headless: true };
  let server = await startTemporalDevServer(serverOptions);
  const sojourn = await startSojourn({ temporalAddress: server.address, timeScale: 1 / 86_400 });
  try {
    receiver.reply = () => ({ status: 200, delayMs: 50 });
    const journeyId = await twoSendJourney(sojourn, '/temporal-restart');
    await enter(sojourn, journeyId, 'tr_', 100);
    await receiver.waitFor(() => uniqueMessages('/temporal-restart').size >= 40, 60_000);
    await server.stop();
    await sleep(2_000);
    server = await startTemporalDevServer(serverOptions);
    await receiver.waitFor(() => uniqueMessages('/temporal-restart').size >= 200, 180_000); // two sends per user
    const ids = Array.from({ length: 100 }, (_, i) => `journey:${journeyId}:tr_${i}`);
    const states = await Promise.all(ids.map((id) => sojourn.temporal.workflow.getHandle(id).result() as Promise<{ status: string }>));
    expect(states.every((s) => s.status === 'completed')).toBe(true);
  } finally {
    await sojourn.stop();
    await server.stop();
  }
});

test('PostgreSQL restarted mid-run: deliveries resume and the deliveries log has no gaps', async () => {
  const pgDir = path.join(tempDir, 'pg');
  const pgPort = await getFreePort();
  let pg = await spawnPostgres(pgDir, pgPort);
  await migrate(pg.databaseUrl);
  const sojourn = await startSojourn({ databaseUrl: pg.databaseUrl, timeScale: 1 / 86_400, deliveryInitialBackoffMs: 200, deliveryMaxBackoffMs: 1_000 });
  try {
    receiver.reply = () => ({ status: 200, delayMs: 50 });
    const journeyId = await twoSendJourney(sojourn, '/pg-restart');
    await enter(sojourn, journeyId, 'pg_', 100);
    await receiver.waitFor(() => uniqueMessages('/pg-restart').size >= 40, 60_000);
    await pg.stop();
    await sleep(2_000);
    pg = await spawnPostgres(pgDir, pgPort);
    await receiver.waitFor(() => uniqueMessages('/pg-restart').size >= 200, 180_000);
    const received = uniqueMessages('/pg-restart');
    let logged = new Set<string>();
    for (let i = 0; i < 100 && logged.size < received.size; i++) {
      const { rows } = await sojourn.db.query("SELECT DISTINCT message_id FROM deliveries WHERE journey_id = $1 AND status = 'delivered'", [journeyId]);
      logged = new Set(rows.map((r) => r.message_id as string));
      if (logged.size < received.size) await sleep(100);
    }
    expect([...received].filter((id) => !logged.has(id))).toEqual([]); // every delivery the receiver saw is in the log
  } finally {
    await sojourn.stop();
    await pg.stop();
  }
});

test('a destination answering 500 for 30 s, then recovering, gets every event', async () => {
  const sojourn = await startSojourn({ deliveryInitialBackoffMs: 500, deliveryMaxBackoffMs: 4_000 });
  try {
    const recoversAt = Date.now() + 30_000;
    receiver.reply = (req) => (req.path === '/outage' && Date.now() < recoversAt ? { status: 500 } : { status: 200 });
    const destinationId = await createDestination(sojourn, webhookTo(receiver, 'Outage hook', '/outage'));
    const journey = await publishSendJourney(sojourn, 'Outage', [{ destinationId, call: 'track' }]);
    await enter(sojourn, journey.id, 'out_', 50);
    const ok = () => new Set(receiver.received.filter((r) => r.path === '/outage' && r.at >= recoversAt).map((r) => (r.body as { userId: string }).userId));
    await receiver.waitFor(() => ok().size >= 50, 120_000);
    const counts = async () =>
      (
        await sojourn.db.query(
          `SELECT count(DISTINCT message_id) FILTER (WHERE status = 'delivered')::int AS delivered,
                  count(*) FILTER (WHERE status = 'retrying')::int AS retrying
           FROM deliveries WHERE journey_id = $1`,
          [journey.id],
        )
      ).rows[0] as { delivered: number; retrying: number };
    let logged = await counts();
    for (let i = 0; i < 50 && logged.delivered < 50; i++) {
      await sleep(100); // the last attempts record just after their answer
      logged = await counts();
    }
    expect(logged.delivered).toBe(50);
    expect(logged.retrying).toBeGreaterThanOrEqual(50); // each one failed at least once, on the record
  } finally {
    await sojourn.stop();
  }
});
