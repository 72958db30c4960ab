import { scaledMs } from '../../journeys/duration';
import type { StepHandler } from './context';
import { waitFor } from './wait';

export const runDelayStep: StepHandler<'delay'> = async (step, ctx) => {
  // A durable timer: it survives worker restarts; an exit event or the exit time ends it early.
  const outcome = await waitFor(ctx, scaledMs(step.duration, ctx.plan.timeScale));
  ctx.visit.outcome = outcome === 'exit' ? 'exit requested' : 'waited';
  return step.next;
};
