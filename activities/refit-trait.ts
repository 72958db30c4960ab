import { ApplicationFailure } from '@temporalio/activity';
import { eventAggregates, replaceScores, traitsOfUsers, usersWithEventBetween } from '../db/trait-predictive';
import { findTrait, saveFit, setTraitStatus } from '../db/traits';
import { parseDuration } from '../journeys/duration';
import type { PredictiveTrait } from '../traits/definitions';
import { groupByUser } from '../traits/features';
import { fitPredictiveModel, InsufficientData, scoreUser, type FitQuality } from '../traits/predictive-fit';
import type { ActivityDeps } from './deps';

export interface RefitResult {
  key: string;
  status: 'ready' | 'insufficient_data';
  message?: string;
  quality?: FitQuality & { cutoff: string; scoredUsers: number };
  fittedAt?: string;
}

/**
 * Fits a predictive trait on the event history and rescores every recently active user: features as
 * of one horizon ago, labels from the horizon since (SPEC §3). Run by the refitPredictiveTrait
 * workflow, on demand and on the trait's Temporal schedule.
 */
export function makeFitPredictiveTrait(deps: ActivityDeps) {
  return async function fitPredictiveTrait(input: { key: string }): Promise<RefitResult> {
    const trait = await findTrait(deps.db, input.key);
    if (!trait || trait.type !== 'predictive') {
      throw ApplicationFailure.nonRetryable(`no predictive trait "${input.key}"`, 'UnknownTrait');
    }
    const definition = trait.definition as PredictiveTrait;
    const now = Date.now();
    const cutoffMs = now - parseDuration(definition.horizon);
    const rows = await eventAggregates(deps.db, cutoffMs);
    const byUser = groupByUser(rows);
    const trainingTraits = await traitsOfUsers(deps.db, [...byUser.keys()], definition.traits);
    const positives = await usersWithEventBetween(deps.db, definition.event, cutoffMs, now);
    let fit: ReturnType<typeof fitPredictiveModel>;
    try {
      fit = fitPredictiveModel({
        target: definition.event,
        traitNames: definition.traits,
        rows,
        byUser,
        traitsOf: (u) => trainingTraits.get(u) ?? {},
        positives,
        cutoffMs,
      });
    } catch (error) {
      if (!(error instanceof InsufficientData)) throw error;
      await setTraitStatus(deps.db, input.key, 'insufficient_data', error.message);
      return { key: input.key, status: 'insufficient_data', message: error.message };
    }
    // Scores use the same features as of now: the chance of the event within the next horizon.
    const current = groupByUser(await eventAggregates(deps.db, now));
    const currentTraits = await traitsOfUsers(deps.db, [...current.keys()], definition.traits);
    const scores = new Map<string, number>();
    for (const [userId, userRows] of current)
      scores.set(userId, scoreUser(fit.model, userRows, currentTraits.get(userId) ?? {}, now));
    await replaceScores(deps.db, input.key, scores);
    const quality = { ...fit.quality, cutoff: new Date(cutoffMs).toISOString(), scoredUsers: scores.size };
    const fittedAt = new Date(now);
    await saveFit(deps.db, input.key, { model: fit.model, quality, fittedAt });
    return { key: input.key, status: 'ready', quality, fittedAt: fittedAt.toISOString() };
  };
}
