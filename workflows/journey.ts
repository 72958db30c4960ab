import {
  continueAsNew,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Step } from '../journeys/schema';
import { loadJourneyPlan } from './activities';
import { endRunSignal, journeyEventSignal, runStateQuery } from './signals';
import { StepIdKey } from './search-attributes';
import type { StepContext, StepHandler } from './steps/context';
import { runDelayStep } from './steps/delay';
import { runExitStep } from './steps/exit';
import { runHoldUntilStep } from './steps/hold-until';
import { runRandomSplitStep } from './steps/random-split';
import { runSendStep } from './steps/send';
import { runSplitStep } from './steps/split';
import type { JourneyEventSignal, JourneyRunInput, RunState, StepVisit } from './types';

const handlers: { [T in Step['type']]: StepHandler<T> } = {
  delay: runDelayStep,
  hold_until: runHoldUntilStep,
  split: runSplitStep,
  random_split: runRandomSplitStep,
  send: runSendStep,
  exit: runExitStep,
};

/**
 * Sets StepId for the Web UI, unless Temporal already has that value (the first step's is set at
 * start): each upsert is a visibility write on the server. Runs recorded before upserted every time.
 */
function showStep(stepId: string): void {
  const unchanged = workflowInfo().typedSearchAttributes.get(StepIdKey) === stepId;
  if (unchanged && patched('step-id-upsert-only-on-change')) return;
  upsertSearchAttributes([{ key: StepIdKey, value: stepId }]);
}

function runStep(step: Step, ctx: StepContext): Promise<string | undefined> {
  // The mapped type guarantees each handler receives its own step type.
  return (handlers[step.type] as StepHandler<Step['type']>)(step, ctx);
}

/** One user's progress through one journey version (SPEC §6). */
export async function journeyWorkflow(input: JourneyRunInput): Promise<RunState> {
  const { resume } = input;
  const state: RunState = resume?.state ?? {
    journeyId: input.journeyId,
    version: input.version,
    userId: input.userId,
    status: 'running',
    steps: [],
    deliveries: [],
  };
  const events: JourneyEventSignal[] = [...(resume?.events ?? [])];
  let exitReason: string | undefined;
  setHandler(runStateQuery, () => state);

  const plan = await loadJourneyPlan({ journeyId: input.journeyId, version: input.version });
  setHandler(journeyEventSignal, (event) => {
    if (plan.exitEvents.includes(event.event)) exitReason ??= `exit event "${event.event}"`;
    else if (!events.some((e) => e.messageId === event.messageId)) events.push(event);
  });
  setHandler(endRunSignal, ({ reason }) => {
    exitReason ??= reason;
  });
  const exitDeadline = resume
    ? resume.exitDeadline
    : plan.exitAfterMs === undefined
      ? undefined
      : Date.now() + plan.exitAfterMs;
  const exitRequested = (): boolean => {
    if (!exitReason && exitDeadline !== undefined && Date.now() >= exitDeadline)
      exitReason = 'journey exit time reached';
    return exitReason !== undefined;
  };
  const stepsById = new Map(plan.steps.map((s) => [s.id, s]));

  const historyTooLong = (): boolean => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > plan.maxHistoryEvents;
  };

  /**
   * Signals that arrive while a run starts are delivered once its handlers are set, just before its
   * first step: they came after the user reached that step (or, resumed, after the carried events),
   * so they are news to it. Runs recorded before counted them as earlier events.
   */
  const carriedEvents = resume?.events.length ?? 0;
  let firstStepOfRun = true;
  const eventsBeforeStep = (): number => {
    const first = firstStepOfRun;
    firstStepOfRun = false;
    return first && patched('events-arriving-at-run-start-are-news') ? carriedEvents : events.length;
  };

  let stepId: string | undefined = resume?.stepId ?? plan.start;
  while (stepId !== undefined && !exitRequested()) {
    const step = stepsById.get(stepId);
    if (!step) throw new Error(`journey ${plan.journeyId} v${plan.version} has no step "${stepId}"`);
    state.currentStepId = step.id;
    showStep(step.id);
    const resumed =
      resume?.stepId === step.id && state.steps.at(-1)?.stepId === step.id && !state.steps.at(-1)?.leftAt;
    const visit = resumed
      ? (state.steps.at(-1) as StepVisit)
      : { stepId: step.id, type: step.type, enteredAt: new Date().toISOString() };
    if (!resumed) state.steps.push(visit);
    const here = step.id;
    stepId = await runStep(step, {
      input,
      plan,
      state,
      workflowId: workflowInfo().workflowId,
      visit,
      events,
      eventsBeforeStep: eventsBeforeStep(),
      exitRequested,
      ...(exitDeadline === undefined ? {} : { exitDeadline }),
      ...(resumed && resume ? { resumeWaitEndsAt: resume.waitEndsAt } : {}),
      historyTooLong,
      // Only the most recent events matter to conditions; the rest would only lengthen the next history.
      continueAsNew: (waitEndsAt) =>
        continueAsNew<typeof journeyWorkflow>({
          ...input,
          resume: {
            stepId: here,
            waitEndsAt,
            ...(exitDeadline === undefined ? {} : { exitDeadline }),
            state,
            events: events.slice(-20),
          },
        }),
    });
    Object.assign(visit, { leftAt: new Date().toISOString() });
  }
  state.currentStepId = undefined;
  state.status = exitReason ? 'exited' : 'completed';
  if (exitReason) state.exitReason = exitReason;
  return state;
}
