import { matchesAll } from '../../journeys/conditions';
import type { StepHandler } from './context';
import { factsFor } from './facts';

/** Branches are checked in order; the first that matches wins, else `else`. */
export const runSplitStep: StepHandler<'split'> = async (step, ctx) => {
  const facts = await factsFor(
    step.branches.flatMap((b) => b.where),
    ctx,
  );
  const branch = step.branches.find((b) => matchesAll(b.where, facts));
  ctx.visit.outcome = branch ? branch.name : 'else';
  return branch ? branch.next : step.else;
};
