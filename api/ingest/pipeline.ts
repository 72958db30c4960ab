import { randomUUID } from 'node:crypto';
import { insertEvent, type StoredEvent } from '../../db/events';
import { inTransaction } from '../../db/pool';
import { addIdentifiers, traitsOf, upsertProfiles } from '../../db/profiles';
import { identifiersOf } from '../../ingest/identifiers';
import type { ApiDeps } from '../deps';
import { runJourneyTriggers } from './triggers';

/** A Tracking API call after validation, named by the profile it belongs to. */
export interface IngestedCall {
  type: StoredEvent['type'];
  /** userId when given, else anonymousId: the profile key. */
  profileId: string;
  userId?: string;
  anonymousId?: string;
  messageId: string;
  event?: string;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
  timestamp: Date;
}

export interface IngestResult {
  call: IngestedCall;
  /** False when this messageId was seen before: the profile is not changed again. */
  fresh: boolean;
  traitsBefore: Record<string, unknown>;
  traitsAfter: Record<string, unknown>;
}

/** Something to do after each fresh call (computed traits keep themselves current this way). */
export type IngestHook = (deps: ApiDeps, result: IngestResult) => Promise<void>;
const hooks: IngestHook[] = [];
export function onIngest(hook: IngestHook): void {
  hooks.push(hook);
}

export function normalizeCall(
  type: IngestedCall['type'],
  raw: {
    userId?: string;
    anonymousId?: string;
    messageId?: string;
    event?: string;
    properties?: Record<string, unknown>;
    traits?: Record<string, unknown>;
    context?: Record<string, unknown>;
    timestamp?: string | Date;
  },
  now: Date = new Date(),
): IngestedCall {
  return {
    type,
    profileId: (raw.userId ?? raw.anonymousId) as string,
    ...(raw.userId !== undefined ? { userId: raw.userId } : {}),
    ...(raw.anonymousId !== undefined ? { anonymousId: raw.anonymousId } : {}),
    messageId: raw.messageId ?? `sojourn-${randomUUID()}`,
    ...(raw.event !== undefined ? { event: raw.event } : {}),
    properties: raw.properties ?? {},
    traits: raw.traits ?? {},
    context: raw.context ?? {},
    timestamp: raw.timestamp ? new Date(raw.timestamp) : now,
  };
}

/**
 * Stores the call once per messageId, updates the profile (traits, identifiers with first-seen
 * times), then lets journeys react. Journey reactions run even for a repeated messageId, because
 * the first attempt may have crashed before them; they are idempotent by messageId.
 */
/** The row an ingested call is stored as (and what computed traits aggregate). */
export function toStoredEvent(call: IngestedCall): StoredEvent {
  return {
    messageId: call.messageId,
    userId: call.profileId,
    type: call.type,
    event: call.event ?? null,
    properties: call.properties,
    traits: call.traits,
    context: call.context,
    timestamp: call.timestamp,
  };
}

export async function ingest(deps: ApiDeps, call: IngestedCall): Promise<IngestResult> {
  const result = await inTransaction(deps.db, async (tx): Promise<IngestResult> => {
    const traitsBefore = await traitsOf(tx, call.profileId);
    const fresh = await insertEvent(tx, toStoredEvent(call));
    if (!fresh) return { call, fresh, traitsBefore, traitsAfter: traitsBefore };
    const traits = call.type === 'identify' ? call.traits : {};
    await upsertProfiles(tx, [{ userId: call.profileId, traits }], false);
    await addIdentifiers(tx, call.profileId, identifiersOf(call));
    return { call, fresh, traitsBefore, traitsAfter: { ...traitsBefore, ...traits } };
  });
  if (result.fresh) for (const hook of hooks) await hook(deps, result);
  await runJourneyTriggers(deps, result);
  return result;
}
