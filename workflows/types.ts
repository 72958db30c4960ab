import type { Step } from '../journeys/schema';

/** Workflow input: ids and small values only; the plan is loaded by an activity. */
export interface JourneyRunInput {
  journeyId: string;
  version: number;
  userId: string;
  entryNo: number;
  /** `properties` of the event that entered the user (event-triggered journeys). */
  entryProperties?: Record<string, unknown>;
  /** Set when a run continued as new in the middle of a wait, to pick up where it was. */
  resume?: RunResume;
}

/** What a run carries across continue-as-new: its progress, the wait it was in, events it kept. */
export interface RunResume {
  stepId: string;
  /** Workflow time (epoch ms) at which the interrupted wait times out. */
  waitEndsAt: number;
  exitDeadline?: number;
  state: RunState;
  events: JourneyEventSignal[];
}

/** One run's send step at one destination: what its deliveries are keyed (messageId) and logged by. */
export interface StepAtDestination {
  workflowId: string;
  journeyId: string;
  version: number;
  stepId: string;
  /** The step's key (SPEC §2): the Engage event's audience key and the list's name. */
  stepKey: string;
  destinationId: string;
  userId: string;
  /** When the user entered the step (ISO 8601): the event's timestamp. */
  enteredAt: string;
}

export interface RetrySettings {
  /** How long one delivery attempt may take before Temporal retries it elsewhere (a dead worker's attempt). */
  attemptTimeoutMs: number;
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
  /** A run continues as new past this many history events (or when the server suggests it). */
  maxHistoryEvents: number;
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
