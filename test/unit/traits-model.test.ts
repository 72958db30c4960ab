import { auc } from '../../traits/auc';
import {
  featureNames,
  fitScaler,
  groupByUser,
  isHeldOut,
  scale,
  userFeatures,
  vocabularyOf,
  type EventAggregateRow,
} from '../../traits/features';
import { fitLogistic, predictLogistic, sigmoid, solveSpd } from '../../traits/logistic';
import { fitPredictiveModel, InsufficientData, scoreUser } from '../../traits/predictive-fit';

const DAY = 86_400_000;

/** A small deterministic generator, so every run fits the same data. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

test('auc: perfect, reversed, ties and one-class cases', () => {
  expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
  expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  expect(auc([0.1, 0.2], [1, 1])).toBeNull();
});

test('solveSpd solves a symmetric positive definite system', () => {
  const x = solveSpd(
    [
      [4, 1],
      [1, 3],
    ],
    [1, 2],
  );
  expect(x[0]).toBeCloseTo(1 / 11, 10);
  expect(x[1]).toBeCloseTo(7 / 11, 10);
});

test('sigmoid does not overflow', () => {
  expect(sigmoid(1000)).toBe(1);
  expect(sigmoid(-1000)).toBe(0);
  expect(sigmoid(0)).toBe(0.5);
});

test('logistic regression recovers the direction and size of a known model', () => {
  const rand = lcg(7);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 4000; i++) {
    const x = [rand() * 4 - 2, rand() * 4 - 2];
    X.push(x);
    y.push(rand() < sigmoid(0.5 + 2 * (x[0] ?? 0) - 1 * (x[1] ?? 0)) ? 1 : 0);
  }
  const model = fitLogistic(X, y, { l2: 1e-3 });
  expect(model.intercept).toBeCloseTo(0.5, 0);
  expect(model.weights[0]).toBeCloseTo(2, 0);
  expect(model.weights[1]).toBeCloseTo(-1, 0);
  expect(model.iterations).toBeLessThan(20);
});

test('on separable data the penalty keeps scores finite and the ranking perfect', () => {
  const X = [[-2], [-1], [-0.5], [0.5], [1], [2]];
  const y = [0, 0, 0, 1, 1, 1];
  const model = fitLogistic(X, y, { l2: 1 });
  const scores = X.map((x) => predictLogistic(model, x));
  expect(scores.every((s) => s > 0 && s < 1)).toBe(true);
  expect(auc(scores, y)).toBe(1);
});

test('features: counts per event in 7/30/90 days, recency, traits; vocabulary starts with the target', () => {
  const rows: EventAggregateRow[] = [
    { userId: 'a', event: 'Order Completed', c7: 1, c30: 2, c90: 3, lastMs: 1000 * DAY - 2 * DAY },
    { userId: 'a', event: 'Page Viewed', c7: 0, c30: 0, c90: 9, lastMs: 1000 * DAY - 40 * DAY },
    { userId: 'b', event: 'Signed Up', c7: 0, c30: 1, c90: 1, lastMs: 1000 * DAY - 10 * DAY },
  ];
  const spec = {
    target: 'Order Completed',
    vocabulary: vocabularyOf(rows, 'Order Completed'),
    traits: ['vip'],
  };
  expect(spec.vocabulary).toEqual(['Order Completed', 'Page Viewed', 'Signed Up']);
  const features = userFeatures(groupByUser(rows).get('a') ?? [], { vip: true }, spec, 1000 * DAY);
  expect(features).toHaveLength(featureNames(spec).length);
  expect(features.slice(0, 3)).toEqual([Math.log1p(1), Math.log1p(2), Math.log1p(3)]);
  expect(features[9]).toBeCloseTo(Math.log1p(2)); // days since last event
  expect(features[10]).toBeCloseTo(Math.log1p(2)); // days since last target
  expect(features[11]).toBe(1);
  const b = userFeatures(groupByUser(rows).get('b') ?? [], {}, spec, 1000 * DAY);
  expect(b[10]).toBeCloseTo(Math.log1p(91)); // never did the target: capped
});

test('scaler standardises, and leaves constant columns alone', () => {
  const scaler = fitScaler([
    [1, 5],
    [3, 5],
  ]);
  expect(scale(scaler, [1, 5])).toEqual([-1, 0]);
});

test('the held-out split is stable and about a quarter', () => {
  const users = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
  const held = users.filter((u) => isHeldOut(u)).length;
  expect(held / users.length).toBeGreaterThan(0.2);
  expect(held / users.length).toBeLessThan(0.3);
  expect(users.filter((u) => isHeldOut(u)).length).toBe(held);
});

test('a predictive fit ranks frequent buyers above the others, with the AUC measured on held-out users', () => {
  const rand = lcg(42);
  const cutoff = 500 * DAY;
  const rows: EventAggregateRow[] = [];
  const positives = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const buyer = i % 3 === 0;
    const userId = `u${i}`;
    rows.push({
      userId,
      event: 'Page Viewed',
      c7: Math.floor(rand() * 3),
      c30: 3,
      c90: 8,
      lastMs: cutoff - rand() * 5 * DAY,
    });
    if (buyer)
      rows.push({
        userId,
        event: 'Order Completed',
        c7: 1,
        c30: 2 + Math.floor(rand() * 3),
        c90: 6,
        lastMs: cutoff - rand() * 7 * DAY,
      });
    if (buyer ? rand() < 0.9 : rand() < 0.05) positives.add(userId);
  }
  const byUser = groupByUser(rows);
  const { model, quality } = fitPredictiveModel({
    target: 'Order Completed',
    traitNames: [],
    rows,
    byUser,
    traitsOf: () => ({}),
    positives,
    cutoffMs: cutoff,
  });
  expect(quality.auc).not.toBeNull();
  expect(quality.auc as number).toBeGreaterThan(0.8);
  expect(quality.trainingUsers + quality.heldOutUsers).toBe(300);
  const buyer = scoreUser(model, byUser.get('u0') ?? [], {}, cutoff);
  const browser = scoreUser(model, byUser.get('u1') ?? [], {}, cutoff);
  expect(buyer).toBeGreaterThan(browser);
  expect(buyer).toBeLessThanOrEqual(1);
  expect(browser).toBeGreaterThanOrEqual(0);
});

test('a fit without both outcomes says why', () => {
  const rows: EventAggregateRow[] = [{ userId: 'a', event: 'X', c7: 1, c30: 1, c90: 1, lastMs: 0 }];
  expect(() =>
    fitPredictiveModel({
      target: 'X',
      traitNames: [],
      rows,
      byUser: groupByUser(rows),
      traitsOf: () => ({}),
      positives: new Set(),
      cutoffMs: DAY,
    }),
  ).toThrow(InsufficientData);
});
