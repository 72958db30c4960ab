/**
 * Issue 7, fuzzing: random and hostile bodies, headers, query strings and path parameters thrown at
 * every route of the real router (found by walking it), with valid credentials so that the input
 * reaches validation. Never a 5xx, and a rejected request (4xx) never changes the database.
 */
import fc from 'fast-check';
import { listRoutes, type RouteInfo } from '../../api/openapi/route-list';
import { startAppUnderTest, type AppUnderTest } from '../helpers/app-under-test';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

const RUNS = Number(process.env.SOJOURN_FUZZ_RUNS ?? 50);

let sojourn: TestSojourn;
let api: AppUnderTest;
let snapshotSql = '';

beforeAll(async () => {
  sojourn = await startSojourn();
  api = await startAppUnderTest(sojourn);
  // One query that fingerprints every table's full content (the tables are small in tests).
  const { rows } = await sojourn.db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  snapshotSql = `SELECT ${rows
    .map(
      (r) =>
        `(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM "${r.name}" t) AS "${r.name}"`,
    )
    .join(', ')}`;
});
afterAll(async () => {
  await api?.close();
  await sojourn?.stop();
});

async function snapshot(): Promise<Record<string, string>> {
  return (await sojourn.db.query<Record<string, string>>(snapshotSql)).rows[0] as Record<string, string>;
}

const HOSTILE_STRINGS = [
  "'; DROP TABLE journeys; --",
  '{{constructor.constructor("return process")()}}',
  '__proto__',
  'constructor',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\ud800',
  '😀'.repeat(500),
  'x'.repeat(5000),
  '<script>alert(1)</script>',
  'type = = "',
  'NaN',
  '1e309',
  '-0',
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 64 }),
  fc.string({ unit: 'binary', maxLength: 32 }),
);
const hostileObject = fc.oneof(
  fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 }),
  fc.constant({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
  fc.record({
    users: fc.array(fc.record({ userId: fc.oneof(hostileString, fc.integer()) }), { maxLength: 5 }),
  }),
  fc.record({
    name: hostileString,
    destination: fc.constantFrom('webhook', '../webhook', 'braze', 'nope'),
    settings: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({
    batch: fc.array(
      fc.record({ type: fc.constantFrom('track', 'identify', 'page', 'bogus'), userId: hostileString }),
      { maxLength: 4 },
    ),
  }),
  fc.record({
    payloads: fc.array(
      fc.record({ metadata: fc.dictionary(fc.string(), hostileString), data: hostileString }),
      { maxLength: 3 },
    ),
  }),
);
const deepNesting = fc.integer({ min: 50, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  hostileObject.map((v) => JSON.stringify(v)),
  deepNesting,
  hostileString, // not JSON at all
  fc.constantFrom('', '{', '{"a":', 'null', '[]', '"str"', '{"__proto__":{"x":1}}', '\uFEFF{}'),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=bogus',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '*/*',
);
const extraHeaders = fc.dictionary(
  fc.constantFrom(
    'accept',
    'origin',
    'x-namespace',
    'x-forwarded-for',
    'content-encoding',
    'accept-encoding',
    'x-http-method-override',
    'range',
  ),
  fc.oneof(
    fc.constantFrom(
      'gzip',
      'deflate',
      'br',
      'bogus',
      'identity',
      'http://evil.example',
      '*',
      'DELETE',
      'bytes=0-1',
    ),
    fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
  ),
  { maxKeys: 3 },
);
const query = fc.oneof(
  fc.dictionary(hostileString, hostileString, { maxKeys: 4 }).map((q) => new URLSearchParams(q).toString()),
  fc.constantFrom(
    'limit=-1',
    'limit=1e9',
    'limit=abc',
    'status=lost',
    'status=delivered&status=failed',
    'a[b][c]=1',
    'kind=%ZZ',
    'before=999999999999999999999',
    '__proto__[x]=1',
  ),
  fc.constant(''),
);
const pathParam = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom(
    '%E0%A4%A',
    '%ZZ',
    '..%2F..%2Fetc',
    'jny_missing',
    'dst_missing',
    'key_missing',
    '%00',
    'a'.repeat(300),
    encodeURIComponent('😀'),
  ),
);

function authFor(route: RouteInfo): Record<string, string> {
  if (['/v1/identify', '/v1/track', '/v1/batch'].includes(route.path)) {
    return { authorization: `Basic ${Buffer.from(`${sojourn.config.writeKey}:`).toString('base64')}` };
  }
  return { authorization: `Bearer ${sojourn.config.apiKey}` };
}

function fill(path: string, params: string[]): string {
  let i = 0;
  return path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) =>
    name === 'token' ? (api.deps.codecToken as string) : (params[i++] ?? 'x'),
  );
}

const routes = () => listRoutes(api.app);

test('the fuzzer reaches every route (management, ingestion, keys, codec)', () => {
  expect(routes().length).toBeGreaterThan(20);
});

describe.each(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'])('%s routes', (method) => {
  test(`never a 5xx, never a changed database on rejected input (${RUNS} runs per route)`, async () => {
    const mine = routes().filter((r) => r.method === method);
    const failures: string[] = [];
    for (const route of mine) {
      let baseline = await snapshot();
      await fc
        .assert(
          fc.asyncProperty(
            body,
            contentType,
            extraHeaders,
            query,
            fc.array(pathParam, { minLength: 3, maxLength: 3 }),
            async (raw, type, headers, qs, params) => {
              const url = `${api.url}${fill(route.path, params)}${qs ? `?${qs}` : ''}`;
              const hasBody = method !== 'GET' && method !== 'OPTIONS';
              const res = await fetch(url, {
                method,
                headers: { ...headers, 'content-type': type, ...authFor(route) },
                body: hasBody ? raw : undefined,
              });
              const text = await res.text();
              if (res.status >= 500)
                failures.push(
                  `${method} ${route.path} → ${res.status} ${text.slice(0, 200)} for ${url} ${type} ${JSON.stringify(headers)} ${raw.slice(0, 200)}`,
                );
              if (res.status >= 400) {
                const after = await snapshot();
                if (JSON.stringify(after) !== JSON.stringify(baseline))
                  failures.push(
                    `${method} ${route.path} → ${res.status} changed the database (${url} ${raw.slice(0, 200)})`,
                  );
                baseline = after;
              } else {
                baseline = await snapshot(); // an accepted request may change it
              }
              return failures.length === 0;
            },
          ),
          { numRuns: RUNS, seed: Number(process.env.SOJOURN_FUZZ_SEED ?? 7) },
        )
        .catch(() => undefined); // failures are collected with their inputs and reported below
    }
    expect(failures).toEqual([]);
  });
});
