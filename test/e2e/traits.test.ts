import { auc } from '../../traits/auc';
import type { Received, Receiver } from '../helpers/receiver';
import type { TestSojourn } from '../helpers/sojourn';
import { useSojournWithReceiver } from '../helpers/with-sojourn';

/**
 * Issue 5 acceptance for Trait Enrichment: computed, SQL and predictive traits defined through
 * POST /v1/traits, kept current, validated, fitted, and delivered by a send step.
 */
let sojourn: TestSojourn;
let receiver: Receiver;
const run = Math.random().toString(36).slice(2, 8);
const DAY = 86_400_000;

useSojournWithReceiver((started, listening) => {
  sojourn = started;
  receiver = listening;
});

const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const profileOf = async (userId: string) => (await sojourn.call('GET', `/v1/profiles/${userId}`)).body;

test('a computed trait is backfilled when defined and changes within a second of the event that changes it', async () => {
  const userId = `ct_${run}`;
  const key = `orders_30d_${run}`;
  const order = (total: number, timestamp?: string) =>
    sojourn.ingest('track', {
      userId,
      event: 'Order Completed',
      properties: { total },
      ...(timestamp ? { timestamp } : {}),
    });
  await order(20, ago(2));
  await order(99, ago(45)); // outside the 30-day window
  const defined = await sojourn.call('POST', '/v1/traits', {
    key,
    type: 'computed',
    computation: { kind: 'count', event: 'Order Completed', window: '30d' },
  });
  expect(defined.status).toBe(201);
  expect(defined.body).toMatchObject({ key, type: 'computed', status: 'ready' });
  const avg = await sojourn.call('POST', '/v1/traits', {
    key: `avg_total_${run}`,
    type: 'computed',
    computation: { kind: 'average', event: 'Order Completed', property: 'properties.total' },
  });
  expect(avg.status).toBe(201);
  expect((await profileOf(userId)).computedTraits).toEqual(
    expect.objectContaining({ [key]: 1, [`avg_total_${run}`]: 59.5 }),
  );

  const started = Date.now();
  expect((await order(40)).status).toBe(200);
  let computed: Record<string, unknown> = {};
  while (Date.now() - started < 1000) {
    computed = (await profileOf(userId)).computedTraits;
    if (computed[key] === 2) break;
  }
  const elapsed = Date.now() - started;
  expect(computed[key]).toBe(2);
  expect(computed[`avg_total_${run}`]).toBeCloseTo(53);
  expect(elapsed).toBeLessThan(1000);

  const again = await sojourn.call('POST', '/v1/traits', {
    key,
    type: 'computed',
    computation: { kind: 'count', event: 'X' },
  });
  expect(again.status).toBe(409);
  const badKey = await sojourn.call('POST', '/v1/traits', {
    key: 'Orders-30d',
    type: 'computed',
    computation: { kind: 'count', event: 'X' },
  });
  expect(badKey.status).toBe(400);
  expect(badKey.body.error.message).toMatch(/snake case/);
});

test.each([
  ['tries to write', { query: 'DELETE FROM events' }, 'sql_writes', /read-only.*DELETE/],
  [
    'writes through a WITH clause',
    { query: 'WITH gone AS (DELETE FROM events RETURNING user_id) SELECT user_id FROM gone' },
    'sql_writes',
    /read-only/,
  ],
  [
    'writes through a function (stopped by the READ ONLY transaction)',
    { query: "SELECT 'x' AS user_id, lo_create(0) AS created" },
    'sql_writes',
    /tried to write.*read-only transaction/,
  ],
  [
    'runs too long',
    { query: "SELECT 'x' AS user_id, pg_sleep(2) IS NULL AS slept", timeoutMs: 300 },
    'sql_timeout',
    /longer than its 300 ms statement timeout/,
  ],
  [
    'has two statements',
    { query: 'SELECT user_id FROM profiles; SELECT user_id FROM events' },
    'sql_multiple_statements',
    /exactly one SELECT.*got 2 statements/,
  ],
  [
    'reads a table it may not',
    { query: 'SELECT id AS user_id, name FROM api_keys' },
    'sql_forbidden',
    /only the events and profiles tables/,
  ],
  [
    'returns no user_id',
    { query: 'SELECT user_id AS uid FROM profiles' },
    'sql_no_user_id',
    /must return a user_id column/,
  ],
])('a SQL trait that %s is refused with a clear 400 and not stored', async (label, body, code, message) => {
  const key = `bad_sql_${run}_${label.replace(/[^a-z]+/g, '_').slice(0, 30)}`;
  await sojourn.ingest('track', { userId: `sql_${run}`, event: 'Page Viewed' });
  const count = async () =>
    (await sojourn.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]?.n;
  const before = await count();
  const res = await sojourn.call('POST', '/v1/traits', { key, type: 'sql', ...body });
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.message).toMatch(message);
  expect((await sojourn.call('GET', `/v1/traits/${key}`)).status).toBe(404);
  expect(await count()).toBe(before);
});

/**
 * A clearly separable history: a third of users ("buyers") ordered before the cutoff (31+ days ago)
 * and again within the last 30 days; the rest only viewed pages. Ingested through /v1/batch.
 */
const USERS = 120;
const isBuyer = (i: number) => i % 3 === 0;
const generatedUser = (i: number) => `gen_${run}_${i}`;
let generated: Promise<void> | undefined;
function generateHistory(): Promise<void> {
  generated ??= (async () => {
    const batch: unknown[] = [];
    const track = (userId: string, event: string, days: number) =>
      batch.push({ type: 'track', userId, event, timestamp: ago(days), properties: {} });
    for (let i = 0; i < USERS; i++) {
      const userId = generatedUser(i);
      track(userId, 'Page Viewed', 40 + (i % 7));
      track(userId, 'Page Viewed', 60 + (i % 11));
      if (isBuyer(i)) {
        for (const days of [35, 50, 70]) track(userId, 'Order Completed', days + (i % 5));
        track(userId, 'Order Completed', 5 + (i % 20));
      } else track(userId, 'Page Viewed', 3 + (i % 20));
    }
    const res = await sojourn.ingest('batch', { batch });
    expect(res.status).toBe(200);
  })();
  return generated;
}

const predictiveKey = `purchase_30d_${run}`;
let fitted: Promise<void> | undefined;
function fitPredictive(): Promise<void> {
  fitted ??= (async () => {
    await generateHistory();
    const created = await sojourn.call('POST', '/v1/traits', {
      key: predictiveKey,
      type: 'predictive',
      event: 'Order Completed',
      horizon: '30d',
    });
    expect(created.status).toBe(201);
    const refit = await sojourn.call('POST', `/v1/traits/${predictiveKey}/refit`);
    expect(refit.status).toBe(200);
    expect(refit.body.result.status).toBe('ready');
  })();
  return fitted;
}

test('the predictive trait ranks users who did the event more often above those who did not (AUC reported)', async () => {
  await fitPredictive();
  const trait = await sojourn.call('GET', `/v1/traits/${predictiveKey}`);
  expect(trait.status).toBe(200);
  expect(trait.body.status).toBe('ready');
  expect(trait.body.fit.auc).toBeGreaterThan(0.8);
  expect(Date.parse(trait.body.fit.fittedAt)).toBeGreaterThan(Date.now() - 60_000);
  expect(trait.body.fit.quality).toMatchObject({
    trainingUsers: expect.any(Number),
    heldOutUsers: expect.any(Number),
    heldOutPositives: expect.any(Number),
  });
  expect(trait.body.fit.quality.trainingUsers + trait.body.fit.quality.heldOutUsers).toBeGreaterThanOrEqual(
    USERS,
  );
  expect(trait.body.fit.features).toContain('count_30d:Order Completed');

  const { rows } = await sojourn.db.query<{ user_id: string; score: number }>(
    'SELECT user_id, score FROM predictive_trait_scores WHERE trait_key = $1 AND user_id LIKE $2',
    [predictiveKey, `gen_${run}_%`],
  );
  expect(rows).toHaveLength(USERS);
  const labels = rows.map((r) => (isBuyer(Number(r.user_id.split('_').pop())) ? 1 : 0));
  expect(
    auc(
      rows.map((r) => r.score),
      labels,
    ),
  ).toBeGreaterThan(0.8);
  expect(rows.every((r) => r.score >= 0 && r.score <= 1)).toBe(true);
  expect((await profileOf(generatedUser(0))).predictiveTraits[predictiveKey]).toBeGreaterThan(
    (await profileOf(generatedUser(1))).predictiveTraits[predictiveKey],
  );

  // The refit schedule exists on the Temporal server.
  const schedule = await sojourn.temporal.schedule.getHandle(trait.body.fit.scheduleId).describe();
  expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'refitPredictiveTrait' });
  expect((await sojourn.call('POST', `/v1/traits/orders_30d_${run}/refit`)).status).toBe(400);
});

test('one send step maps a custom, a computed, a SQL and a predictive trait: all four delivered; a user lacking one gets the others, no null', async () => {
  await fitPredictive();
  const buyer = generatedUser(0);
  const browser = generatedUser(1);
  expect((await sojourn.ingest('identify', { userId: buyer, traits: { firstName: 'Ada' } })).status).toBe(
    200,
  );
  const computedKey = `orders_90d_${run}`;
  const sqlKey = `page_views_${run}`;
  expect(
    (
      await sojourn.call('POST', '/v1/traits', {
        key: computedKey,
        type: 'computed',
        computation: { kind: 'count', event: 'Order Completed', window: '90d' },
      })
    ).status,
  ).toBe(201);
  const sql = await sojourn.call('POST', '/v1/traits', {
    key: sqlKey,
    type: 'sql',
    query: "SELECT user_id, count(*) AS views FROM events WHERE event = 'Page Viewed' GROUP BY user_id;",
    refreshInterval: '5m',
  });
  expect(sql.status).toBe(201);

  const hook = await sojourn.call('POST', '/v1/destinations', {
    name: 'Enriched hook',
    destination: 'webhook',
    subscriptions: [
      {
        subscribe: 'type = "track"',
        partnerAction: 'send',
        mapping: { url: `${receiver.url}/enriched`, method: 'POST', data: { '@path': '$.' } },
      },
    ],
  });
  const mapping = {
    first_name: 'firstName',
    orders_90d: computedKey,
    page_views: sqlKey,
    purchase_score: predictiveKey,
  };
  const journey = await sojourn.call('POST', '/v1/journeys', {
    name: 'Enriched',
    entry: { type: 'api' },
    start: 'send',
    steps: [
      {
        id: 'send',
        type: 'send',
        name: 'Enriched',
        destinations: [
          {
            destinationId: hook.body.id,
            call: 'track',
            enrichment: { traits: mapping },
            idSync: [{ identifier: 'user_id', strategy: 'all' }],
          },
        ],
        next: 'end',
      },
      { id: 'end', type: 'exit' },
    ],
  });
  expect(journey.status).toBe(201);
  await sojourn.call('POST', `/v1/journeys/${journey.body.id}/publish`);
  const entered = await sojourn.call('POST', `/v1/journeys/${journey.body.id}/entries`, {
    users: [{ userId: buyer }, { userId: browser }],
  });
  await Promise.all(
    entered.body.entries.map((e: { workflowId: string }) =>
      sojourn.temporal.workflow.getHandle(e.workflowId).result(),
    ),
  );

  const propertiesOf = (userId: string) =>
    receiver.received
      .filter((r: Received) => r.path === '/enriched' && (r.body as { userId: string }).userId === userId)
      .map((r) => (r.body as { properties: Record<string, unknown> }).properties);
  const [buyerProps] = propertiesOf(buyer);
  const [browserProps] = propertiesOf(browser);
  expect(buyerProps).toMatchObject({
    first_name: 'Ada',
    orders_90d: 4,
    page_views: 2,
    purchase_score: expect.any(Number),
  });
  expect(browserProps).toMatchObject({ orders_90d: 0, page_views: 3, purchase_score: expect.any(Number) });
  expect(browserProps).not.toHaveProperty('first_name');
  expect(Object.values(browserProps ?? {}).some((v) => v === null)).toBe(false);
  expect(buyerProps?.purchase_score as number).toBeGreaterThan(browserProps?.purchase_score as number);
});

test.each([
  ['unknown trait type', 'POST', '/v1/traits', { key: 'x_trait', type: 'magic' }, 400, /type/],
  [
    'computed without an event',
    'POST',
    '/v1/traits',
    { key: 'x_trait', type: 'computed', computation: { kind: 'count' } },
    400,
    /event/,
  ],
  [
    'predictive with a bad horizon',
    'POST',
    '/v1/traits',
    { key: 'x_trait', type: 'predictive', event: 'E', horizon: '2h' },
    400,
    /horizon/,
  ],
  [
    'SQL with a too long timeout',
    'POST',
    '/v1/traits',
    { key: 'x_trait', type: 'sql', query: 'SELECT 1', timeoutMs: 600_000 },
    400,
    /timeoutMs/,
  ],
  ['unknown trait', 'GET', '/v1/traits/no_such_trait', undefined, 404, /not found/],
  ['refit of an unknown trait', 'POST', '/v1/traits/no_such_trait/refit', undefined, 404, /not found/],
  ['unknown profile', 'GET', '/v1/profiles/nobody_at_all', undefined, 404, /not found/],
])('%s → clear 4xx, no trait stored', async (_label, method, path, body, status, message) => {
  const res = await sojourn.call(method, path, body);
  expect(res.status).toBe(status);
  expect(res.body.error.message).toMatch(message);
  expect((await sojourn.call('GET', '/v1/traits/x_trait')).status).toBe(404);
});
