import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from '../journeys/duration';

/**
 * Trait definitions accepted by `POST /v1/traits` (SPEC §3 "Trait enrichment"). Exported so the
 * OpenAPI document can describe the route from the same schemas that validate it.
 */
const Duration = z.string().regex(DURATION_PATTERN, 'must be a duration such as 12h, 30d or 1w');
const durationWithin = (minMs: number, maxMs: number, what: string) =>
  Duration.refine(
    (d) => !DURATION_PATTERN.test(d) || (parseDuration(d) >= minMs && parseDuration(d) <= maxMs),
    what,
  );

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export const TraitKey = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,63}$/,
    'must be snake case: a lower-case letter, then lower-case letters, digits or "_" (at most 64)',
  );

/** Where the aggregated value sits in the event; the same paths as journey conditions. */
const PropertyPath = z
  .string()
  .regex(/^(properties|traits|context)\.[^\s]+$/, 'must start with properties., traits. or context.');
const EventName = z.string().min(1).max(200);
const Window = durationWithin(HOUR, 400 * DAY, 'must be between 1 hour and 400 days').optional();

export const ComputedSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('count'), event: EventName, window: Window }),
  z.object({ kind: z.enum(['sum', 'average']), event: EventName, property: PropertyPath, window: Window }),
  // Without `event`, every call carrying the property counts (identify traits, for example).
  z.object({
    kind: z.enum(['first', 'last']),
    event: EventName.optional(),
    property: PropertyPath,
    window: Window,
  }),
]);

export const ComputedTraitSchema = z.object({
  key: TraitKey,
  type: z.literal('computed'),
  computation: ComputedSpecSchema,
});

export const SqlTraitSchema = z.object({
  key: TraitKey,
  type: z.literal('sql'),
  /** One read-only SELECT returning a `user_id` column plus value columns. */
  query: z.string().trim().min(1).max(20_000),
  /** How long a cached per-user result stays valid before the query runs again for that user. */
  refreshInterval: durationWithin(60 * 1000, 30 * DAY, 'must be between 1 minute and 30 days').default('1h'),
  /** statement_timeout for every run, registration included. */
  timeoutMs: z.number().int().min(10).max(60_000).default(5_000),
});

export const PredictiveTraitSchema = z.object({
  key: TraitKey,
  type: z.literal('predictive'),
  /** The event whose occurrence within `horizon` the score predicts, e.g. "Order Completed". */
  event: EventName,
  horizon: durationWithin(DAY, 365 * DAY, 'must be between 1 day and 365 days').default('30d'),
  /** Custom traits (numbers or booleans) used as features next to the event history. */
  traits: z.array(z.string().min(1).max(200)).max(20).default([]),
  /** The Temporal schedule that refits the model. */
  refitEvery: durationWithin(HOUR, 90 * DAY, 'must be between 1 hour and 90 days').default('1d'),
});

export const TraitDefinitionSchema = z.discriminatedUnion('type', [
  ComputedTraitSchema,
  SqlTraitSchema,
  PredictiveTraitSchema,
]);

export type ComputedSpec = z.infer<typeof ComputedSpecSchema>;
export type ComputedTrait = z.infer<typeof ComputedTraitSchema>;
export type SqlTrait = z.infer<typeof SqlTraitSchema>;
export type PredictiveTrait = z.infer<typeof PredictiveTraitSchema>;
export type TraitDefinition = z.infer<typeof TraitDefinitionSchema>;
export type TraitType = TraitDefinition['type'];
