import { Pool } from 'pg';
import { reserveSlot } from '../../db/rate-slots';
import { rateGate, RateLimitedError } from '../../destinations/request-gate';

/** The shared request schedule in PostgreSQL, hit from two pools at once (as two workers would). */
let a: Pool;
let b: Pool;

beforeAll(() => {
  a = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  b = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
});
afterAll(async () => {
  await a?.end();
  await b?.end();
});

test('concurrent reservations from two pools each take their own slot, spacing apart', async () => {
  const id = `dst_slots_${Date.now()}`;
  const clock = async () =>
    Number((await a.query<{ ms: number }>('SELECT extract(epoch FROM clock_timestamp())::float8 * 1000 AS ms')).rows[0]?.ms);
  const before = await clock();
  const waits = await Promise.all(
    Array.from({ length: 40 }, (_, i) => reserveSlot(i % 2 ? a : b, id, 50, 60_000)),
  );
  const after = await clock();
  expect(waits.every((w) => w.reserved)).toBe(true);
  // Every reservation moved the shared schedule on by one spacing: 40 distinct slots, none shared.
  // (Each wait is measured from its own statement's moment, so the schedule's end is what to compare.)
  const { rows } = await a.query<{ next: number }>('SELECT next_free_ms AS next FROM destination_rate_slots WHERE destination_id = $1', [id]);
  const next = Number(rows[0]?.next);
  expect(next).toBeGreaterThanOrEqual(before + 40 * 50);
  expect(next).toBeLessThanOrEqual(after + 40 * 50);
  const longest = Math.max(...waits.map((w) => w.waitMs));
  expect(longest).toBeGreaterThanOrEqual(39 * 50 - (after - before));
});

test('a schedule further ahead than the longest wait reserves nothing and says how long to wait', async () => {
  const id = `dst_full_${Date.now()}`;
  // Slots at +0, +1 s and +2 s fit within a 2.5 s wait; the fourth (+3 s) does not.
  for (let i = 0; i < 3; i++) expect((await reserveSlot(a, id, 1_000, 2_500)).reserved).toBe(true);
  const refused = await reserveSlot(b, id, 1_000, 2_500);
  expect(refused.reserved).toBe(false);
  expect(refused.waitMs).toBeGreaterThan(2_500);
  // Refusing did not move the schedule: the wait is the same a moment later, minus the time passed.
  const again = await reserveSlot(b, id, 1_000, 2_500);
  expect(again.reserved).toBe(false);
  expect(again.waitMs).toBeLessThanOrEqual(refused.waitMs);
});

test('the request gate waits for its slot, and turns a far-off slot into RateLimitedError with the delay', async () => {
  const id = `dst_gate_${Date.now()}`;
  const gate = rateGate(a, id, 10);
  if (!gate) throw new Error('a positive limit makes a gate');
  const t0 = Date.now();
  for (let i = 0; i < 4; i++) await gate();
  expect(Date.now() - t0).toBeGreaterThanOrEqual(3 * 100);
  expect(rateGate(a, id, 0)).toBeUndefined();
  const slow = rateGate(b, `dst_gate_slow_${Date.now()}`, 0.01); // one request per 110 s
  await slow?.();
  await expect(slow?.()).rejects.toBeInstanceOf(RateLimitedError);
});
