import type { StepHandler } from './context';

/** Weighted choice; Temporal seeds `Math.random` per run inside workflows, so a replay takes the same branch. */
export const runRandomSplitStep: StepHandler<'random_split'> = async (step, ctx) => {
  const total = step.branches.reduce((sum, b) => sum + b.weight, 0);
  let ticket = Math.random() * total;
  const branch = step.branches.find((b) => (ticket -= b.weight) < 0) ?? step.branches[step.branches.length - 1];
  ctx.visit.outcome = branch?.name;
  return branch?.next;
};
