import { Router } from 'express';
import { z } from 'zod';
import { findDestinations } from '../../db/destinations';
import { findJourney, insertJourney, insertVersion, publishCurrentVersion, setStatus, type JourneyVersionRow } from '../../db/journeys';
import { inTransaction } from '../../db/pool';
import { upsertProfiles } from '../../db/profiles';
import { JourneyDefinitionSchema, type JourneyDefinition } from '../../journeys/schema';
import { makeStepKey } from '../../journeys/step-keys';
import type { ApiDeps } from '../deps';
import { ApiError, notFound, parseWith } from '../errors';
import { newId } from '../ids';
import { forgetLiveJourneys } from '../ingest/triggers';
import { endRuns, enterUsers } from '../journey-runs';
import { prepareForPublish } from '../publish-hooks';

export const MAX_USERS_PER_ENTRY_CALL = 10_000;

export const EntriesSchema = z.object({
  users: z
    .array(
      z.object({
        userId: z.string().min(1).max(255),
        traits: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .min(1)
    .max(MAX_USERS_PER_ENTRY_CALL),
});

function presentJourney(row: JourneyVersionRow) {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    version: row.version,
    publishedVersion: row.publishedVersion,
    definition: row.definition,
    stepKeys: row.stepKeys,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function checkDestinationsExist(deps: ApiDeps, definition: JourneyDefinition): Promise<void> {
  const refs = definition.steps.flatMap((step, i) =>
    step.type === 'send' ? step.destinations.map((d, j) => ({ id: d.destinationId, path: `steps[${i}].destinations[${j}].destinationId` })) : [],
  );
  const known = new Set((await findDestinations(deps.db, refs.map((r) => r.id))).map((d) => d.id));
  const missing = refs.filter((r) => !known.has(r.id));
  if (missing.length > 0) {
    throw new ApiError(
      400,
      'unknown_destination',
      `${missing[0]?.path}: destination "${missing[0]?.id}" does not exist`,
      missing.map((m) => ({ path: m.path, code: 'unknown_destination', message: `destination "${m.id}" does not exist` })),
    );
  }
}

/**
 * A key per send step. A step that keeps its id and name across versions keeps its key, so
 * destinations go on recognising its users (SPEC §2).
 */
export function stepKeysFor(definition: JourneyDefinition, previous?: JourneyVersionRow): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const step of definition.steps) {
    if (step.type !== 'send') continue;
    const before = previous?.definition.steps.find((s) => s.id === step.id);
    const kept = before?.type === 'send' && before.name === step.name ? previous?.stepKeys[step.id] : undefined;
    keys[step.id] = kept ?? makeStepKey(definition.name, step.name);
  }
  return keys;
}

export function journeysRouter(deps: ApiDeps): Router {
  const router = Router();
  const load = async (id: string): Promise<JourneyVersionRow> => {
    const journey = await findJourney(deps.db, id);
    if (!journey) throw notFound('journey', id);
    return journey;
  };

  router.post('/journeys', async (req, res) => {
    const definition = parseWith(JourneyDefinitionSchema, req.body);
    await checkDestinationsExist(deps, definition);
    const id = newId('jny');
    await inTransaction(deps.db, (tx) => insertJourney(tx, { id, definition, stepKeys: stepKeysFor(definition) }));
    res.status(201).json(presentJourney(await load(id)));
  });

  router.get('/journeys/:id', async (req, res) => {
    res.json(presentJourney(await load(req.params.id)));
  });

  router.put('/journeys/:id', async (req, res) => {
    const definition = parseWith(JourneyDefinitionSchema, req.body);
    const current = await load(req.params.id);
    if (current.status === 'archived') throw new ApiError(409, 'archived', 'an archived journey cannot change');
    await checkDestinationsExist(deps, definition);
    await inTransaction(deps.db, (tx) =>
      insertVersion(tx, { id: current.id, definition, stepKeys: stepKeysFor(definition, current) }),
    );
    res.json(presentJourney(await load(current.id)));
  });

  router.post('/journeys/:id/pause', async (req, res) => {
    const journey = await load(req.params.id);
    if (journey.status !== 'published' && journey.status !== 'paused') {
      throw new ApiError(409, 'not_published', `journey is ${journey.status}: only a published journey can be paused`);
    }
    await setStatus(deps.db, journey.id, 'paused');
    forgetLiveJourneys();
    res.json(presentJourney(await load(journey.id)));
  });

  router.post('/journeys/:id/archive', async (req, res) => {
    const journey = await load(req.params.id);
    await setStatus(deps.db, journey.id, 'archived');
    forgetLiveJourneys();
    const ended = await endRuns(deps, journey.id, 'journey archived');
    res.json({ ...presentJourney(await load(journey.id)), runsEnded: ended });
  });

  router.post('/journeys/:id/publish', async (req, res) => {
    const journey = await load(req.params.id);
    if (journey.status === 'archived') throw new ApiError(409, 'archived', 'an archived journey cannot be published');
    await checkDestinationsExist(deps, journey.definition);
    await prepareForPublish(deps, journey);
    await publishCurrentVersion(deps.db, journey.id);
    forgetLiveJourneys();
    res.json(presentJourney(await load(journey.id)));
  });

  router.post('/journeys/:id/entries', async (req, res) => {
    const body = parseWith(EntriesSchema, req.body);
    const journey = await load(req.params.id);
    if (journey.status !== 'published') {
      throw new ApiError(409, 'not_published', `journey is ${journey.status}: only a published journey takes entries`);
    }
    if (journey.definition.entry.type !== 'api') {
      throw new ApiError(409, 'wrong_entry_type', `journey entry is "${journey.definition.entry.type}": users enter it through events, not the API`);
    }
    const published = await findJourney(deps.db, journey.id, journey.publishedVersion ?? journey.version);
    if (!published) throw notFound('published version of journey', journey.id);
    await upsertProfiles(deps.db, body.users);
    const entries = await enterUsers(deps, published, body.users.map((u) => u.userId));
    res.status(202).json({ journeyId: journey.id, version: published.version, entries });
  });
  return router;
}
