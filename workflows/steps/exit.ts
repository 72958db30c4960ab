import type { StepHandler } from './context';

export const runExitStep: StepHandler<'exit'> = async (_step, ctx) => {
  ctx.visit.outcome = 'exited';
  return undefined;
};
