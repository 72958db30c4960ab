import { z } from 'zod';
import { OPERATIONS, type Operation } from './operations';
import { ErrorBody } from './responses';
import { toOpenApiPath, type RouteInfo } from './route-list';

type Json = Record<string, unknown>;

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) from a zod schema, straight from zod 4's own converter. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as Json;
  delete json.$schema;
  return json;
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: ERROR_REF } },
});

const SECURITY: Record<Operation['auth'], Json[]> = {
  management: [{ apiKey: [] }],
  write: [{ writeKey: [] }],
  codec: [{ apiKey: [] }],
  'codec-token': [],
  none: [],
};

/** The errors an operation can answer with, from what it takes (every error shares one shape). */
function errorsOf(op: Operation): Record<number, string> {
  const errors: Record<number, string> = {};
  if (op.body || op.query) errors[400] = 'invalid input: `issues` lists every invalid field';
  if (op.auth !== 'none')
    errors[401] = op.auth === 'codec-token' ? 'wrong codec token' : 'missing or invalid key';
  if (op.params && op.auth !== 'codec-token') errors[404] = 'unknown id';
  if (op.body)
    errors[413] = op.auth === 'write' ? 'body over 500 KB or an event over 32 KB' : 'body too large';
  if (op.auth === 'write') errors[429] = 'over the per-key rate limit: see Retry-After';
  errors[503] = 'not answered in time (SOJOURN_REQUEST_TIMEOUT_MS): see Retry-After';
  return { ...errors, ...op.errors };
}

function operationObject(op: Operation): Json {
  const parameters: Json[] = [
    ...Object.entries(op.params ?? {}).map(([name, description]) => ({
      name,
      in: 'path',
      required: true,
      description,
      schema: { type: 'string' },
    })),
    ...Object.entries(op.query?.shape ?? {}).map(([name, field]) => ({
      name,
      in: 'query',
      required: !(field as z.ZodType).safeParse(undefined).success,
      schema: schemaOf(field as z.ZodType, 'input'),
    })),
  ];
  const okContent = op.ok.schema
    ? { content: { [op.ok.contentType ?? 'application/json']: { schema: schemaOf(op.ok.schema, 'output') } } }
    : op.ok.contentType
      ? { content: { [op.ok.contentType]: { schema: { type: 'string' } } } }
      : {};
  const responses: Json = { [op.ok.status]: { description: op.ok.description, ...okContent } };
  for (const [status, description] of Object.entries(errorsOf(op)))
    responses[status] = errorResponse(description);
  return {
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    operationId: `${op.method.toLowerCase()}${toOpenApiPath(op.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    security: SECURITY[op.auth],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(op.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document. Given the app's routes, it lists exactly those (operations described
 * ahead of routes still being built are left out); without them, every known operation.
 */
export function buildDocument(routes?: readonly RouteInfo[]): Json {
  const served = routes ? new Set(routes.map((r) => `${r.method} ${r.path}`)) : undefined;
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of OPERATIONS) {
    if (served && !served.has(`${op.method} ${op.path}`)) continue;
    const path = toOpenApiPath(op.path);
    (paths[path] ??= {})[op.method.toLowerCase()] = operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sojourn API',
      version: '1',
      description:
        'Durable customer journeys on Temporal. Management calls take `Authorization: Bearer <API key>`; ingestion calls take a Segment write key as the HTTP Basic user name. Every error is `{"error": {"code", "message", "issues"}}`.',
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'SOJOURN_API_KEY or a management key from POST /v1/keys',
        },
        writeKey: {
          type: 'http',
          scheme: 'basic',
          description: 'write key as the user name, empty password (what analytics-node sends)',
        },
      },
      schemas: { Error: schemaOf(ErrorBody, 'output') },
    },
    paths,
  };
}
