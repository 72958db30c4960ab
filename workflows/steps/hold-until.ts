import { matchesAll } from '../../journeys/conditions';
import { scaledMs } from '../../journeys/duration';
import type { JourneyEventSignal } from '../types';
import type { StepHandler } from './context';
import { waitFor } from './wait';

/** Waits for the first event that matches a branch, or the timeout; events that arrived earlier don't count. */
export const runHoldUntilStep: StepHandler<'hold_until'> = async (step, ctx) => {
  const seenBefore = ctx.eventsBeforeStep;
  let matched: { branchIndex: number; event: JourneyEventSignal } | undefined;
  const check = (): boolean => {
    for (const event of ctx.events.slice(seenBefore)) {
      const branchIndex = step.branches.findIndex(
        (b) => b.event === event.event && matchesAll(b.where, { properties: event.properties }),
      );
      if (branchIndex >= 0) {
        matched = { branchIndex, event };
        return true;
      }
    }
    return false;
  };
  await waitFor(ctx, scaledMs(step.timeout, ctx.plan.timeScale), check);
  if (!matched) {
    ctx.visit.outcome = ctx.exitRequested() ? 'exit requested' : 'timeout';
    return step.timeoutNext;
  }
  const branch = step.branches[matched.branchIndex];
  ctx.visit.outcome = branch?.name;
  return branch?.next;
};
