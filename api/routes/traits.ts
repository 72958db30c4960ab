import { Router } from 'express';
import { z } from 'zod';
import { applyToComputedTraits, defineComputedTrait } from '../../db/trait-computed';
import { cacheSqlResults, runSqlTraitForAll } from '../../db/trait-sql';
import { findTrait, insertTrait, listTraits, type TraitRow } from '../../db/traits';
import { TraitDefinitionSchema, type PredictiveTrait, type SqlTrait } from '../../traits/definitions';
import { checkSqlTrait, SqlTraitRejection } from '../../traits/sql-check';
import type { ApiDeps } from '../deps';
import { ApiError, notFound, parseWith } from '../errors';
import { onIngest, toStoredEvent } from '../ingest/pipeline';
import { createRefitSchedule, refitScheduleId, runRefit, startRefit } from '../trait-schedule';

/** `POST /v1/traits` body: one of the three definitions (traits/definitions.ts). */
export const CreateTraitSchema = TraitDefinitionSchema;

/** What `GET /v1/traits/:key` answers (for the OpenAPI document). */
export const TraitBody = z.object({
  key: z.string(),
  type: z.enum(['computed', 'sql', 'predictive']),
  definition: z.record(z.string(), z.unknown()),
  status: z
    .string()
    .describe(
      'computed: backfilling | ready | failed; sql: ready; predictive: pending | ready | insufficient_data',
    ),
  statusMessage: z.string().nullable(),
  fit: z
    .object({
      fittedAt: z.string().nullable(),
      auc: z.number().nullable().describe('area under the ROC curve on held-out users'),
      quality: z
        .record(z.string(), z.unknown())
        .nullable()
        .describe('sample sizes, positives, cutoff, users scored'),
      features: z.array(z.string()),
      scheduleId: z.string(),
    })
    .optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

// Computed traits follow every fresh ingested call (registered once per process, whatever the app count).
onIngest(async (deps, { call }) => {
  await applyToComputedTraits(deps.db, toStoredEvent(call));
});

export function presentTrait(row: TraitRow) {
  return {
    key: row.key,
    type: row.type,
    definition: row.definition,
    status: row.status,
    statusMessage: row.statusMessage,
    ...(row.type === 'predictive'
      ? {
          fit: {
            fittedAt: row.fittedAt?.toISOString() ?? null,
            auc: row.quality?.auc ?? null,
            quality: row.quality,
            features: row.model?.featureNames ?? [],
            scheduleId: refitScheduleId(row.key),
          },
        }
      : {}),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const taken = (key: string) =>
  new ApiError(409, 'trait_exists', `a trait with key "${key}" exists already; keys are unique`);

async function defineSqlTrait(deps: ApiDeps, trait: SqlTrait): Promise<void> {
  if (await findTrait(deps.db, trait.key)) throw taken(trait.key);
  // Parse check first (clear answers for writes and several statements), then one real run, which
  // shows it finishes within its timeout and fills the per-user cache.
  const statement = await checkSqlTrait(trait.query);
  const rows = await runSqlTraitForAll(deps.db, statement, trait.timeoutMs);
  const stored: SqlTrait = { ...trait, query: statement };
  if (!(await insertTrait(deps.db, { key: trait.key, type: 'sql', definition: stored, status: 'ready' })))
    throw taken(trait.key);
  await cacheSqlResults(deps.db, trait.key, rows);
}

async function definePredictiveTrait(deps: ApiDeps, trait: PredictiveTrait): Promise<void> {
  if (
    !(await insertTrait(deps.db, {
      key: trait.key,
      type: 'predictive',
      definition: trait,
      status: 'pending',
    }))
  )
    throw taken(trait.key);
  await createRefitSchedule(deps.temporal, deps.config.taskQueue, trait);
  await startRefit(deps.temporal, deps.config.taskQueue, trait.key);
}

/** Trait definitions (SPEC §3 "Trait enrichment", §4 `POST /v1/traits`). */
export function traitsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/traits', async (req, res) => {
    const trait = parseWith(CreateTraitSchema, req.body);
    try {
      if (trait.type === 'computed') {
        if ((await defineComputedTrait(deps.db, trait)) === 'exists') throw taken(trait.key);
      } else if (trait.type === 'sql') await defineSqlTrait(deps, trait);
      else await definePredictiveTrait(deps, trait);
    } catch (error) {
      if (error instanceof SqlTraitRejection) throw new ApiError(400, error.code, error.message);
      throw error;
    }
    res.status(201).json(presentTrait((await findTrait(deps.db, trait.key)) as TraitRow));
  });
  router.get('/traits', async (_req, res) => {
    res.json({ traits: (await listTraits(deps.db)).map(presentTrait) });
  });
  router.get('/traits/:key', async (req, res) => {
    const row = await findTrait(deps.db, req.params.key);
    if (!row) throw notFound('trait', req.params.key);
    res.json(presentTrait(row));
  });
  router.post('/traits/:key/refit', async (req, res) => {
    const row = await findTrait(deps.db, req.params.key);
    if (!row) throw notFound('trait', req.params.key);
    if (row.type !== 'predictive')
      throw new ApiError(
        400,
        'not_predictive',
        `trait "${row.key}" is ${row.type}: only predictive traits are fitted`,
      );
    const result = await runRefit(deps.temporal, deps.config.taskQueue, row.key);
    res.json({ ...presentTrait((await findTrait(deps.db, row.key)) as TraitRow), result });
  });
  return router;
}
