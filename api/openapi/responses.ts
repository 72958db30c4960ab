import { z } from 'zod';

/** Response shapes for the OpenAPI document (the handlers build these objects; see api/routes). */
export const ErrorBody = z.object({
  error: z.object({
    code: z
      .string()
      .describe(
        'machine-readable, e.g. invalid_request, unauthorized, not_found, payload_too_large, rate_limited',
      ),
    message: z.string().describe('what went wrong and how to fix it'),
    issues: z
      .array(z.object({ path: z.string(), code: z.string(), message: z.string() }))
      .describe('one per invalid field'),
  }),
});

const Timestamp = z.string().describe('ISO 8601');

export const DestinationBody = z.object({
  id: z.string(),
  name: z.string(),
  destination: z.string().describe('catalog slug'),
  kind: z.enum(['event', 'list']),
  settings: z.record(z.string(), z.unknown()).describe('secret settings read "[redacted]"'),
  subscriptions: z.array(z.record(z.string(), z.unknown())).nullable(),
  rateLimit: z
    .object({ requestsPerSecond: z.number(), source: z.enum(['instance', 'vendor', 'default']) })
    .describe('requests per second across all workers; 0: unlimited'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const DestinationsBody = z.object({ destinations: z.array(DestinationBody) });

export const JourneyBody = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['draft', 'published', 'paused', 'archived']),
  version: z.number().int(),
  publishedVersion: z.number().int().nullable(),
  definition: z.record(z.string(), z.unknown()),
  stepKeys: z.record(z.string(), z.string()).describe('send step id → step key'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const EntriesBody = z.object({
  journeyId: z.string(),
  version: z.number().int(),
  entries: z.array(z.object({ userId: z.string(), workflowId: z.string().nullable(), status: z.string() })),
});

export const RunBody = z.object({
  journeyId: z.string(),
  userId: z.string(),
  workflowId: z.string(),
  version: z.number().int(),
  workflowStatus: z.string(),
  currentStepId: z.string().nullable(),
  status: z.string().nullable(),
  steps: z.array(z.record(z.string(), z.unknown())),
  deliveries: z.array(z.record(z.string(), z.unknown())),
});

export const DeliveriesBody = z.object({
  deliveries: z.array(z.record(z.string(), z.unknown())),
  next: z.string().nullable().describe('pass as `before` for the next page'),
});

export const CatalogBody = z.object({
  destinations: z.array(
    z.object({
      slug: z.string(),
      name: z.string(),
      kind: z.enum(['event', 'list']),
      settings: z.unknown(),
      actions: z.array(z.object({ key: z.string(), title: z.string() })),
    }),
  ),
});

export const KeyBody = z.object({
  id: z.string(),
  kind: z.enum(['management', 'write']),
  name: z.string(),
  prefix: z.string().describe('first characters of the key, to tell keys apart'),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});

export const CreatedKeyBody = KeyBody.extend({
  key: z.string().describe('the key itself: shown only in this response'),
});

export const TestEventBody = z.object({
  testUserId: z.string(),
  payload: z.record(z.string(), z.unknown()),
  results: z.array(
    z.object({
      action: z.string(),
      status: z
        .number()
        .int()
        .nullable()
        .describe('the HTTP status the destination answered (null: no answer)'),
      outcome: z.enum(['delivered', 'failed', 'skipped']),
      response: z.unknown().describe('the full last response: status, headers, body'),
      request: z.unknown().describe('the last request as sent, secrets redacted'),
      lifecycle: z.array(z.string()),
      latencyMs: z.number(),
      exchanges: z.array(z.unknown()).describe('every request and response of this action'),
      error: z
        .object({
          code: z.string(),
          message: z.string(),
          retryable: z.boolean(),
          httpStatus: z.number().int().optional(),
        })
        .optional(),
    }),
  ),
  ok: z.boolean(),
  error: z.string().optional().describe('set when no subscription takes this event type'),
});

export const AcceptedBody = z.object({ success: z.literal(true) });
export const AnyObject = z.record(z.string(), z.unknown());
