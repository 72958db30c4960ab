import { findDestinations } from '../db/destinations';
import { findJourney } from '../db/journeys';
import { isListDefinition, loadDefinition } from '../destinations/definitions';
import { scaledMs } from '../journeys/duration';
import type { JourneyPlan } from '../workflows/types';
import type { ActivityDeps } from './deps';

export function makeLoadJourneyPlan(deps: ActivityDeps) {
  return async function loadJourneyPlan(input: { journeyId: string; version: number }): Promise<JourneyPlan> {
    const journey = await findJourney(deps.db, input.journeyId, input.version);
    if (!journey) throw new Error(`journey ${input.journeyId} v${input.version} not found`);
    const { definition } = journey;
    const destinationIds = definition.steps.flatMap((s) => (s.type === 'send' ? s.destinations.map((d) => d.destinationId) : []));
    const rows = await findDestinations(deps.db, [...new Set(destinationIds)]);
    const destinationKinds: JourneyPlan['destinationKinds'] = {};
    for (const row of rows) {
      const def = loadDefinition(row.slug);
      destinationKinds[row.id] = def && isListDefinition(def) ? 'list' : 'event';
    }
    return {
      journeyId: journey.id,
      version: journey.version,
      name: definition.name,
      start: definition.start,
      steps: definition.steps,
      stepKeys: journey.stepKeys,
      destinationKinds,
      exitEvents: definition.exit?.events ?? [],
      ...(definition.exit?.after ? { exitAfterMs: scaledMs(definition.exit.after, deps.config.timeScale) } : {}),
      timeScale: deps.config.timeScale,
      maxHistoryEvents: deps.config.maxHistoryEvents,
      retry: {
        attemptTimeoutMs: deps.config.deliveryAttemptTimeoutMs,
        initialBackoffMs: deps.config.deliveryInitialBackoffMs,
        maxBackoffMs: deps.config.deliveryMaxBackoffMs,
        windowMs: deps.config.deliveryRetryWindowMs,
      },
    };
  };
}
