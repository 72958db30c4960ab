import { auc } from './auc';
import {
  fitScaler,
  featureNames,
  isHeldOut,
  scale,
  userFeatures,
  vocabularyOf,
  type EventAggregateRow,
  type FeatureSpec,
  type Scaler,
} from './features';
import { fitLogistic, predictLogistic, type LogisticModel } from './logistic';

/**
 * Fitting a predictive trait (pure): users' features as of a cutoff one horizon ago, labelled by
 * whether they did the target event between the cutoff and now. A quarter of users is held out to
 * report the AUC; the model in use is the one fitted on the other three quarters, so the reported
 * quality is that of the model that scores.
 */
export interface PredictiveModel extends FeatureSpec {
  featureNames: string[];
  scaler: Scaler;
  logistic: LogisticModel;
}

export interface FitQuality {
  /** AUC on held-out users; null when the held-out users do not include both outcomes. */
  auc: number | null;
  trainingUsers: number;
  trainingPositives: number;
  heldOutUsers: number;
  heldOutPositives: number;
  iterations: number;
}

export class InsufficientData extends Error {}

export interface FitInput {
  target: string;
  traitNames: string[];
  rows: readonly EventAggregateRow[];
  byUser: Map<string, EventAggregateRow[]>;
  traitsOf: (userId: string) => Record<string, unknown>;
  positives: ReadonlySet<string>;
  cutoffMs: number;
  l2?: number;
}

export function fitPredictiveModel(input: FitInput): { model: PredictiveModel; quality: FitQuality } {
  const spec: FeatureSpec = {
    target: input.target,
    vocabulary: vocabularyOf(input.rows, input.target),
    traits: input.traitNames,
  };
  const users = [...input.byUser.keys()].sort();
  const features = (u: string) =>
    userFeatures(input.byUser.get(u) ?? [], input.traitsOf(u), spec, input.cutoffMs);
  const label = (u: string) => (input.positives.has(u) ? 1 : 0);
  const train = users.filter((u) => !isHeldOut(u));
  const heldOut = users.filter((u) => isHeldOut(u));
  const trainLabels = train.map(label);
  const trainingPositives = trainLabels.reduce((s: number, v) => s + v, 0);
  if (trainingPositives === 0 || trainingPositives === train.length) {
    throw new InsufficientData(
      `cannot fit: of ${train.length} training users with events before the cutoff, ${trainingPositives} did "${input.target}" after it; both outcomes are needed`,
    );
  }
  const raw = train.map(features);
  const scaler = fitScaler(raw);
  const logistic = fitLogistic(
    raw.map((x) => scale(scaler, x)),
    trainLabels,
    { l2: input.l2 ?? 1 },
  );
  const model: PredictiveModel = { ...spec, featureNames: featureNames(spec), scaler, logistic };
  const heldOutLabels = heldOut.map(label);
  const heldOutScores = heldOut.map((u) => predictLogistic(logistic, scale(scaler, features(u))));
  return {
    model,
    quality: {
      auc: auc(heldOutScores, heldOutLabels),
      trainingUsers: train.length,
      trainingPositives,
      heldOutUsers: heldOut.length,
      heldOutPositives: heldOutLabels.reduce((s: number, v) => s + v, 0),
      iterations: logistic.iterations,
    },
  };
}

export function scoreUser(
  model: PredictiveModel,
  rows: readonly EventAggregateRow[],
  traits: Record<string, unknown>,
  referenceMs: number,
): number {
  return predictLogistic(model.logistic, scale(model.scaler, userFeatures(rows, traits, model, referenceMs)));
}
