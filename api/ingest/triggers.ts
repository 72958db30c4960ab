import { WorkflowNotFoundError } from '@temporalio/client';
import { findEntries, findLiveJourneys, type JourneyVersionRow } from '../../db/journeys';
import { matchesAll } from '../../journeys/conditions';
import type { JourneyDefinition } from '../../journeys/schema';
import { journeyEventSignal } from '../../workflows/signals';
import type { ApiDeps } from '../deps';
import { enterUser } from '../journey-runs';
import type { IngestResult } from './pipeline';

const CACHE_MS = 1_000;
let cache: { at: number; journeys: JourneyVersionRow[] } | undefined;

/** Live journeys change rarely and every event checks them: a one-second cache spares PostgreSQL. */
async function liveJourneys(deps: ApiDeps): Promise<JourneyVersionRow[]> {
  if (!cache || Date.now() - cache.at > CACHE_MS) cache = { at: Date.now(), journeys: await findLiveJourneys(deps.db) };
  return cache.journeys;
}

export function forgetLiveJourneys(): void {
  cache = undefined;
}

/** Events a run of this journey listens for: its exit events and its hold_until branches. */
export function listenedEvents(definition: JourneyDefinition): Set<string> {
  const names = new Set(definition.exit?.events ?? []);
  for (const step of definition.steps) {
    if (step.type === 'hold_until') for (const branch of step.branches) names.add(branch.event);
  }
  return names;
}

/** Entry rules (SPEC §2): a matching track enters an event journey; an identify that makes a trait condition true enters a trait journey. */
function shouldEnter(journey: JourneyVersionRow, result: IngestResult): boolean {
  const { entry } = journey.definition;
  const { call } = result;
  if (call.type === 'track' && entry.type === 'event') {
    return entry.event === call.event && matchesAll(entry.where, { properties: call.properties, traits: result.traitsAfter });
  }
  if (call.type === 'identify' && entry.type === 'trait') {
    return matchesAll(entry.where, { traits: result.traitsAfter }) && !matchesAll(entry.where, { traits: result.traitsBefore });
  }
  return false;
}

/** Forwards a tracked event to the user's recent runs of a journey; runs that have ended are skipped. */
async function signalRuns(deps: ApiDeps, journeyId: string, result: IngestResult): Promise<void> {
  const { call } = result;
  const entries = (await findEntries(deps.db, journeyId, call.profileId)).slice(0, 5);
  for (const entry of entries) {
    try {
      await deps.temporal.workflow.getHandle(entry.workflowId).signal(journeyEventSignal, {
        event: call.event ?? '',
        messageId: call.messageId,
        properties: call.properties,
        timestamp: call.timestamp.toISOString(),
      });
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
}

export async function runJourneyTriggers(deps: ApiDeps, result: IngestResult): Promise<void> {
  for (const journey of await liveJourneys(deps)) {
    if (result.call.type === 'track' && result.call.event && listenedEvents(journey.definition).has(result.call.event)) {
      await signalRuns(deps, journey.id, result);
    }
    if (journey.status === 'published' && shouldEnter(journey, result)) {
      await enterUser(deps, journey, result.call.profileId, {
        triggerId: result.call.messageId,
        ...(result.call.type === 'track' ? { properties: result.call.properties } : {}),
      });
    }
  }
}
