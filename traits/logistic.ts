/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares).
 * Written here rather than taken from npm: the one maintained package (ml-logistic-regression) runs a
 * fixed number of plain gradient steps on the summed gradient with no intercept, no regularisation
 * and no convergence test, so its result depends on the data's size and scale and its weights grow
 * without bound on separable data. Newton converges in a handful of steps at Sojourn's feature
 * counts (tens), and the penalty keeps scores finite and well ranked. Pure and deterministic.
 */
export interface LogisticModel {
  intercept: number;
  weights: number[];
  iterations: number;
}

export interface FitOptions {
  /** L2 penalty on the weights (not the intercept); inputs are expected standardised. */
  l2?: number;
  maxIterations?: number;
  tolerance?: number;
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log σ(z) without overflow for large |z|. */
function logSigmoid(z: number): number {
  return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
}

function linear(beta: number[], x: readonly number[]): number {
  let z = beta[0] ?? 0;
  for (let j = 0; j < x.length; j++) z += (beta[j + 1] ?? 0) * (x[j] ?? 0);
  return z;
}

/** Penalised log-likelihood: what each Newton step must not decrease. */
function objective(
  beta: number[],
  X: readonly (readonly number[])[],
  y: readonly number[],
  l2: number,
): number {
  let total = 0;
  X.forEach((x, i) => {
    const z = linear(beta, x);
    total += y[i] === 1 ? logSigmoid(z) : logSigmoid(-z);
  });
  for (let j = 1; j < beta.length; j++) total -= 0.5 * l2 * (beta[j] ?? 0) ** 2;
  return total;
}

/** Solves A·x = b for a symmetric positive definite A (Cholesky). */
export function solveSpd(A: number[][], b: number[]): number[] {
  const n = b.length;
  const L: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const at = (m: number[][], i: number, j: number): number => m[i]?.[j] ?? 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = at(A, i, j);
      for (let k = 0; k < j; k++) s -= at(L, i, k) * at(L, j, k);
      const row = L[i] as number[];
      if (i === j) {
        if (s <= 0) throw new Error('matrix is not positive definite');
        row[j] = Math.sqrt(s);
      } else row[j] = s / at(L, j, j);
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i] ?? 0;
    for (let k = 0; k < i; k++) s -= at(L, i, k) * (z[k] ?? 0);
    z[i] = s / at(L, i, i);
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i] ?? 0;
    for (let k = i + 1; k < n; k++) s -= at(L, k, i) * (x[k] ?? 0);
    x[i] = s / at(L, i, i);
  }
  return x;
}

export function fitLogistic(
  X: readonly (readonly number[])[],
  y: readonly number[],
  options: FitOptions = {},
): LogisticModel {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-8;
  const d = X[0]?.length ?? 0;
  const p = d + 1;
  let beta = new Array<number>(p).fill(0);
  let current = objective(beta, X, y, l2);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    // Gradient g and negated Hessian H of the penalised log-likelihood.
    const g = new Array<number>(p).fill(0);
    const H: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    X.forEach((x, i) => {
      const prob = sigmoid(linear(beta, x));
      const residual = (y[i] ?? 0) - prob;
      const w = prob * (1 - prob);
      const row = [1, ...x];
      for (let a = 0; a < p; a++) {
        g[a] = (g[a] ?? 0) + residual * (row[a] ?? 0);
        const Ha = H[a] as number[];
        for (let b = 0; b <= a; b++) Ha[b] = (Ha[b] ?? 0) + w * (row[a] ?? 0) * (row[b] ?? 0);
      }
    });
    for (let a = 0; a < p; a++) {
      const Ha = H[a] as number[];
      // A tiny ridge on the intercept keeps H invertible when every probability saturates.
      Ha[a] = (Ha[a] ?? 0) + (a === 0 ? 1e-9 : l2);
      if (a > 0) g[a] = (g[a] ?? 0) - l2 * (beta[a] ?? 0);
      for (let b = 0; b < a; b++) (H[b] as number[])[a] = Ha[b] ?? 0;
    }
    const step = solveSpd(H, g);
    // Backtracking: a full Newton step may overshoot far from the optimum.
    let scale = 1;
    let next = beta.map((v, j) => v + (step[j] ?? 0));
    let value = objective(next, X, y, l2);
    while (value < current && scale > 1e-6) {
      scale /= 2;
      next = beta.map((v, j) => v + scale * (step[j] ?? 0));
      value = objective(next, X, y, l2);
    }
    const moved = Math.max(...step.map((s) => Math.abs(s * scale)));
    beta = next;
    current = value;
    if (moved < tolerance) {
      iterations++;
      break;
    }
  }
  return { intercept: beta[0] ?? 0, weights: beta.slice(1), iterations };
}

export function predictLogistic(model: LogisticModel, x: readonly number[]): number {
  return sigmoid(linear([model.intercept, ...model.weights], x));
}
