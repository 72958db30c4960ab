import { z } from 'zod';
import { CONDITION_OPS } from './conditions';
import { DURATION_PATTERN, parseDuration } from './duration';
import { checkGraph } from './graph';

export const LIMITS = {
  steps: 100,
  stepNameChars: 170,
  destinationsPerSend: 5,
  holdBranches: 9,
  randomBranches: 5,
  idSyncAll: 3,
  minDelayMs: 60 * 1000,
  maxDelayMs: 182 * 24 * 60 * 60 * 1000,
} as const;

const Duration = z.string().regex(DURATION_PATTERN, 'must be a duration such as 30s, 15m, 2h, 3d or 1w');
const StepId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"');
const EventName = z.string().min(1).max(200);

export const ConditionSchema = z.object({
  path: z.string().regex(/^(traits|properties|context)\.[^\s]+$/, 'must start with traits., properties. or context.'),
  op: z.enum(CONDITION_OPS),
  value: z.unknown().optional(),
});
const Where = z.array(ConditionSchema).max(20);

const EntrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('api') }),
  z.object({ type: z.literal('event'), event: EventName, where: Where.optional() }),
  z.object({ type: z.literal('trait'), where: Where.min(1) }),
]);

const ReentrySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('once') }),
  z.object({ mode: z.literal('every_time') }),
  z.object({ mode: z.literal('after'), after: Duration }),
]);

export const IDENTIFIERS = ['user_id', 'anonymous_id', 'email', 'phone', 'ios.idfa', 'android.idfa'] as const;
const IdSyncEntry = z.object({
  // Built-in identifiers, or a custom one sent in context.externalIds.
  identifier: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  strategy: z.enum(['all', 'last', 'first']),
});

export const SendDestinationSchema = z.object({
  destinationId: z.string().min(1),
  call: z.enum(['track', 'identify']).default('track'),
  enrichment: z.object({ traits: z.record(z.string(), z.string().min(1)) }).optional(),
  idSync: z
    .array(IdSyncEntry)
    .max(20)
    .refine((list) => list.filter((e) => e.strategy === 'all').length <= LIMITS.idSyncAll, {
      message: `at most ${LIMITS.idSyncAll} identifiers may use strategy "all"`,
    })
    .refine((list) => new Set(list.map((e) => e.identifier)).size === list.length, {
      message: 'each identifier may appear once',
    })
    .optional(),
});

// zod runs refinements even after the format check failed, so a malformed value must not reach parseDuration.
const delayMs = Duration.refine((d) => {
  if (!DURATION_PATTERN.test(d)) return true;
  const ms = parseDuration(d);
  return ms >= LIMITS.minDelayMs && ms <= LIMITS.maxDelayMs;
}, 'must be between 1 minute and 182 days');

const base = { id: StepId };
const next = StepId.optional();

export const StepSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('delay'), duration: delayMs, next }),
  z.object({
    ...base,
    type: z.literal('hold_until'),
    branches: z
      .array(z.object({ name: z.string().min(1).max(100), event: EventName, where: Where.optional(), next }))
      .min(1)
      .max(LIMITS.holdBranches),
    timeout: delayMs,
    timeoutNext: next,
  }),
  z.object({
    ...base,
    type: z.literal('split'),
    branches: z
      .array(z.object({ name: z.string().min(1).max(100), where: Where.min(1), next }))
      .min(1)
      .max(20),
    else: next,
  }),
  z.object({
    ...base,
    type: z.literal('random_split'),
    branches: z
      .array(z.object({ name: z.string().min(1).max(100), weight: z.number().positive().max(100), next }))
      .min(2)
      .max(LIMITS.randomBranches),
  }),
  z.object({
    ...base,
    type: z.literal('send'),
    name: z.string().trim().min(1).max(LIMITS.stepNameChars),
    destinations: z.array(SendDestinationSchema).min(1).max(LIMITS.destinationsPerSend),
    next,
  }),
  z.object({ ...base, type: z.literal('exit') }),
]);

export const JourneyDefinitionSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    entry: EntrySchema,
    reentry: ReentrySchema.default({ mode: 'once' }),
    exit: z
      .object({ events: z.array(EventName).max(20).optional(), after: Duration.optional() })
      .optional(),
    start: StepId,
    steps: z.array(StepSchema).min(1).max(LIMITS.steps),
  })
  .superRefine((definition, ctx) => {
    for (const problem of checkGraph(definition)) {
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }
  });

export type JourneyDefinition = z.infer<typeof JourneyDefinitionSchema>;
export type JourneyDefinitionInput = z.input<typeof JourneyDefinitionSchema>;
export type Step = z.infer<typeof StepSchema>;
export type StepOf<T extends Step['type']> = Extract<Step, { type: T }>;
export type SendDestination = z.infer<typeof SendDestinationSchema>;
export type Entry = z.infer<typeof EntrySchema>;
