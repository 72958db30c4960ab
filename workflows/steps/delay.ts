import { condition } from '@temporalio/workflow';
import { parseDuration } from '../../journeys/duration';
import type { StepHandler } from './context';

export const runDelayStep: StepHandler<'delay'> = async (step, ctx) => {
  // A durable timer: survives worker restarts; an exit event ends the wait early.
  await condition(() => ctx.exitRequested(), parseDuration(step.duration));
  ctx.visit.outcome = ctx.exitRequested() ? 'exit requested' : 'waited';
  return step.next;
};
