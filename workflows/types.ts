import type { Step } from '../journeys/schema';

/** Workflow input: ids and small values only; the plan is loaded by an activity. */
export interface JourneyRunInput {
  journeyId: string;
  version: number;
  userId: string;
  entryNo: number;
  /** `properties` of the event that entered the user (event-triggered journeys). */
  entryProperties?: Record<string, unknown>;
}

export interface RetrySettings {
  initialBackoffMs: number;
  maxBackoffMs: number;
  windowMs: number;
}

/** A published journey version as the workflow walks it. Immutable once loaded. */
export interface JourneyPlan {
  journeyId: string;
  version: number;
  name: string;
  start: string;
  steps: Step[];
  stepKeys: Record<string, string>;
  destinationKinds: Record<string, 'event' | 'list'>;
  exitEvents: string[];
  exitAfterMs?: number;
  retry: RetrySettings;
  /** Multiplies every duration of the journey (1 in production; see SojournConfig.timeScale). */
  timeScale: number;
}

export interface StepVisit {
  stepId: string;
  type: Step['type'];
  enteredAt: string;
  leftAt?: string;
  /** The branch taken, or what the step did. */
  outcome?: string;
}

export interface DeliverySummary {
  stepId: string;
  destinationId: string;
  identifier: string;
  messageId?: string;
  status: 'delivered' | 'failed' | 'queued';
  error?: string;
}

export interface RunState {
  journeyId: string;
  version: number;
  userId: string;
  status: 'running' | 'completed' | 'exited';
  currentStepId?: string;
  steps: StepVisit[];
  deliveries: DeliverySummary[];
  exitReason?: string;
}

/** A tracked event forwarded to a run (wakes `hold_until`, ends runs on exit events). */
export interface JourneyEventSignal {
  event: string;
  messageId: string;
  properties: Record<string, unknown>;
  timestamp: string;
}
