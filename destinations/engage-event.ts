import { createHash } from 'node:crypto';
import type { SegmentEvent } from '@segment/actions-core';

export type SendCall = 'track' | 'identify';

export interface Identifier {
  type: string;
  value: string;
}

export interface EngageEventInput {
  call: SendCall;
  stepKey: string;
  journeyId: string;
  stepId: string;
  spaceId: string;
  userId: string;
  identifier: Identifier;
  /** Enriched traits, destination field → value; absent traits are simply not here. */
  traits: Record<string, unknown>;
  messageId: string;
  /** When the user entered the step (ISO 8601). */
  timestamp: string;
  /** The list's id at a list destination (SPEC §3). */
  externalAudienceId?: string;
}

/**
 * The idempotency key of one delivery: the same (run, step, destination, identifier value) always
 * yields the same id, so retries, crashes and replays never change it (SPEC §5).
 */
export function deliveryMessageId(parts: {
  workflowId: string;
  stepId: string;
  destinationId: string;
  identifier: Identifier;
}): string {
  const digest = createHash('sha256')
    .update([parts.workflowId, parts.stepId, parts.destinationId, parts.identifier.type, parts.identifier.value].join('\u0000'))
    .digest('hex');
  return `sj-${digest.slice(0, 40)}`;
}

type Json = Record<string, unknown>;

/** Puts an identifier value where Segment's destinations look for it (ID Sync fan-out). */
function placeIdentifier(event: Json, call: SendCall, identifier: Identifier): void {
  const context = event.context as Json;
  const traitHome = (): Json => {
    if (call === 'identify') return event.traits as Json;
    context.traits ??= {};
    return context.traits as Json;
  };
  switch (identifier.type) {
    case 'user_id':
      event.userId = identifier.value;
      return;
    case 'anonymous_id':
      event.anonymousId = identifier.value;
      return;
    case 'email':
    case 'phone':
      traitHome()[identifier.type] = identifier.value;
      return;
    case 'ios.idfa':
    case 'android.idfa':
      context.device = { type: identifier.type.split('.')[0], advertisingId: identifier.value };
      return;
    default:
      context.externalIds = [{ id: identifier.value, type: identifier.type, collection: 'users', encoding: 'none' }];
  }
}

/** The Engage-shaped event a send step delivers (SPEC §3). Pure: the event tester uses it too. */
export function buildEngageEvent(input: EngageEventInput): SegmentEvent {
  const personas: Json = {
    computation_class: 'journey_step',
    computation_key: input.stepKey,
    computation_id: `${input.journeyId}:${input.stepId}`,
    space_id: input.spaceId,
    namespace: input.spaceId,
  };
  if (input.externalAudienceId !== undefined) personas.external_audience_id = input.externalAudienceId;
  const event: Json = {
    type: input.call,
    userId: input.userId,
    messageId: input.messageId,
    timestamp: input.timestamp,
    // Segment's events always carry receivedAt, and presets map it (Braze's trackEvent `time`); the
    // entry time keeps the payload identical across retries.
    receivedAt: input.timestamp,
    context: { personas },
  };
  if (input.call === 'track') {
    event.event = 'Audience Entered';
    event.properties = { ...input.traits, audience_key: input.stepKey, [input.stepKey]: true };
  } else {
    event.traits = { ...input.traits, [input.stepKey]: true };
  }
  placeIdentifier(event, input.call, input.identifier);
  return event as unknown as SegmentEvent;
}
