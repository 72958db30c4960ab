import type { StepOf, Step } from '../../journeys/schema';
import type {
  JourneyEventSignal,
  JourneyPlan,
  JourneyRunInput,
  RunState,
  StepAtDestination,
  StepVisit,
} from '../types';

/** What a step handler may read and change while the user is at its step. */
export interface StepContext {
  input: JourneyRunInput;
  plan: JourneyPlan;
  state: RunState;
  workflowId: string;
  visit: StepVisit;
  /** Events received along the path, newest last (conditions on `context.*`). */
  events: JourneyEventSignal[];
  /** How many of `events` had arrived before the user reached this step: the rest are news to it. */
  eventsBeforeStep: number;
  /** Set when an exit event arrives or the journey's exit time passes; waits end early. */
  exitRequested(): boolean;
  /** Workflow time (ms) at which the journey's `exit.after` ends the run, if it has one. */
  exitDeadline?: number;
  /** When resuming after continue-as-new: the interrupted wait's end, used by this step's first wait. */
  resumeWaitEndsAt?: number;
  /** Continues the run as new, resuming this step's wait at `waitEndsAt`. Never returns. */
  continueAsNew(waitEndsAt: number): Promise<never>;
  /** True when the history is long enough that the run should continue as new. */
  historyTooLong(): boolean;
}

/** What identifies this run's step at one destination, for the activities that deliver from it. */
export function stepAtDestination(
  ctx: StepContext,
  stepId: string,
  destinationId: string,
  enteredAt: string,
): StepAtDestination {
  return {
    workflowId: ctx.workflowId,
    journeyId: ctx.plan.journeyId,
    version: ctx.plan.version,
    stepId,
    stepKey: ctx.plan.stepKeys[stepId] ?? stepId,
    destinationId,
    userId: ctx.input.userId,
    enteredAt,
  };
}

/** Returns the next step id, or undefined when the journey ends here. */
export type StepHandler<T extends Step['type']> = (
  step: StepOf<T>,
  ctx: StepContext,
) => Promise<string | undefined>;
