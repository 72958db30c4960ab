import { makeDeliverEvent } from './deliver-event';
import type { ActivityDeps } from './deps';
import { makeEnqueueListMembers } from './enqueue-list-members';
import { makeFlushListBatch } from './flush-list-batch';
import { makeLoadJourneyPlan } from './load-journey-plan';
import { makePruneOldRecords } from './prune-old-records';
import { makeEnrichTraits, makeGetTraits, makeResolveIdentifiers } from './profile-reads';
import { makeFitPredictiveTrait } from './refit-trait';

/** Every activity the worker registers, bound to the process's shared dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    loadJourneyPlan: makeLoadJourneyPlan(deps),
    enrichTraits: makeEnrichTraits(deps),
    resolveIdentifiers: makeResolveIdentifiers(deps),
    getTraits: makeGetTraits(deps),
    deliverEvent: makeDeliverEvent(deps),
    enqueueListMembers: makeEnqueueListMembers(deps),
    flushListBatch: makeFlushListBatch(deps),
    fitPredictiveTrait: makeFitPredictiveTrait(deps),
    pruneOldRecords: makePruneOldRecords(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
