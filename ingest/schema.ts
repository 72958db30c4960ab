import { z } from 'zod';

/**
 * Segment Tracking API shapes (what @segment/analytics-node sends). Unknown fields are kept out;
 * either userId or anonymousId names the profile.
 */
const Json = z.record(z.string(), z.unknown());
const common = {
  userId: z.union([z.string().min(1).max(255), z.number().transform(String)]).optional(),
  anonymousId: z.union([z.string().min(1).max(255), z.number().transform(String)]).optional(),
  messageId: z.string().min(1).max(255).optional(),
  timestamp: z.union([z.iso.datetime({ offset: true }), z.date()]).optional(),
  context: Json.optional(),
  integrations: Json.optional(),
  _metadata: Json.optional(),
  sentAt: z.unknown().optional(),
  originalTimestamp: z.unknown().optional(),
};

const hasIdentity = (call: { userId?: string; anonymousId?: string }) => call.userId !== undefined || call.anonymousId !== undefined;
const identityMessage = { message: 'userId or anonymousId is required' };

export const IdentifySchema = z.object({ ...common, type: z.literal('identify').optional(), traits: Json.optional() }).refine(hasIdentity, identityMessage);
export const TrackSchema = z
  .object({ ...common, type: z.literal('track').optional(), event: z.string().min(1).max(200), properties: Json.optional() })
  .refine(hasIdentity, identityMessage);

const BatchItem = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('identify'), traits: Json.optional() }),
  z.object({ ...common, type: z.literal('track'), event: z.string().min(1).max(200), properties: Json.optional() }),
  z.object({ ...common, type: z.enum(['page', 'screen', 'group', 'alias']), name: z.string().optional(), properties: Json.optional(), traits: Json.optional() }),
]).refine(hasIdentity, identityMessage);

export const BatchSchema = z.object({ batch: z.array(BatchItem).min(1).max(2500), context: Json.optional() });

export type IdentifyCall = z.infer<typeof IdentifySchema> & { type?: 'identify' };
export type TrackCall = z.infer<typeof TrackSchema>;
export type BatchItemCall = z.infer<typeof BatchItem>;
