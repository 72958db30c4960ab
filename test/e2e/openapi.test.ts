/**
 * Issue 7, OpenAPI: /openapi.json is generated from the zod schemas, lists every route the router
 * has with its auth and every error it can answer, and /docs renders it without a CDN.
 */
import { listRoutes, toOpenApiPath } from '../../api/openapi/route-list';
import { startAppUnderTest, type AppUnderTest } from '../helpers/app-under-test';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

type Operation = {
  security: unknown[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  parameters?: Array<{ name: string; in: string }>;
};
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

let sojourn: TestSojourn;
let api: AppUnderTest;
let doc: Doc;

beforeAll(async () => {
  sojourn = await startSojourn();
  api = await startAppUnderTest(sojourn);
  const res = await fetch(`${api.url}/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Doc;
});
afterAll(async () => {
  await api?.close();
  await sojourn?.stop();
});

test('every route of the router is in the document, and nothing that is not a route', () => {
  const routes = listRoutes(api.app);
  const missing = routes
    .filter((r) => !doc.paths[toOpenApiPath(r.path)]?.[r.method.toLowerCase()])
    .map((r) => `${r.method} ${r.path}`);
  expect(missing).toEqual([]);
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
  expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${toOpenApiPath(r.path)}`).sort());
  expect(doc.openapi).toBe('3.1.0');
});

test('every operation documents its errors in the shared error shape, and its auth', () => {
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const where = `${method.toUpperCase()} ${path}`;
      const statuses = Object.keys(op.responses);
      expect([where, statuses.some((s) => s.startsWith('2'))]).toEqual([where, true]);
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect([where, status, op.responses[status]?.content?.['application/json']?.schema]).toEqual([
          where,
          status,
          { $ref: '#/components/schemas/Error' },
        ]);
      }
      const isPublic =
        ['/healthz', '/metrics', '/openapi.json', '/docs'].includes(path) ||
        method === 'options' ||
        path.startsWith('/codec/t/');
      if (!isPublic) expect([where, statuses.includes('401'), op.security.length]).toEqual([where, true, 1]);
      if (op.requestBody)
        expect([where, statuses.includes('400'), statuses.includes('413')]).toEqual([where, true, true]);
      if (path.includes('{'))
        expect(op.parameters?.filter((p) => p.in === 'path').length).toBe((path.match(/\{/g) ?? []).length);
    }
  }
  expect(doc.paths['/v1/track']?.post?.responses['429']).toBeDefined();
  expect(doc.components.schemas.Error).toMatchObject({ type: 'object' });
});

test('request bodies come from the zod schemas the handlers validate with', () => {
  const destination = doc.paths['/v1/destinations']?.post?.requestBody?.content['application/json']?.schema;
  expect(destination).toMatchObject({
    type: 'object',
    required: expect.arrayContaining(['name', 'destination']),
  });
  const journey = doc.paths['/v1/journeys']?.post?.requestBody?.content['application/json']?.schema as {
    properties: Record<string, unknown>;
  };
  expect(Object.keys(journey.properties)).toEqual(
    expect.arrayContaining(['name', 'entry', 'start', 'steps']),
  );
  const deliveries = doc.paths['/v1/deliveries']?.get?.parameters?.map((p) => p.name);
  expect(deliveries).toEqual(expect.arrayContaining(['journeyId', 'stepId', 'status', 'limit']));
});

test('/docs is a self-contained page that renders the document', async () => {
  const res = await fetch(`${api.url}/docs`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  const html = await res.text();
  expect(html).toContain("fetch('openapi.json')");
  expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/); // no CDN
});
