import { ApplicationFailure, Context } from '@temporalio/activity';
import { deliveredActions, insertAttempt } from '../db/deliveries';
import { buildEngageEvent, deliveryMessageId, type Identifier, type SendCall } from '../destinations/engage-event';
import { runEvent, type ActionOutcome } from '../destinations/run-event';
import type { StepAtDestination } from '../workflows/types';
import type { ActivityDeps } from './deps';

export interface DeliverEventInput extends StepAtDestination {
  call: SendCall;
  identifier: Identifier;
  traits: Record<string, unknown>;
}

export interface DeliverEventResult {
  messageId: string;
  actions: Array<{ action: string; status: ActionOutcome['status']; httpStatus?: number }>;
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so retries spread out. */
export function backoffWithJitter(attempt: number, initialMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function makeDeliverEvent(deps: ActivityDeps) {
  return async function deliverEvent(input: DeliverEventInput): Promise<DeliverEventResult> {
    const info = Context.current().info;
    const messageId = deliveryMessageId(input);
    const record = (outcome: Pick<ActionOutcome, 'action' | 'latencyMs'> & Partial<ActionOutcome>, status: 'delivered' | 'retrying' | 'failed', error: string | null) =>
      insertAttempt(deps.db, {
        messageId,
        workflowId: input.workflowId,
        journeyId: input.journeyId,
        journeyVersion: input.version,
        stepId: input.stepId,
        destinationId: input.destinationId,
        call: input.call,
        action: outcome.action,
        attempt: info.attempt,
        status,
        httpStatus: outcome.httpStatus ?? null,
        latencyMs: outcome.latencyMs,
        request: outcome.exchanges?.map((e) => e.request) ?? null,
        response: outcome.exchanges?.map((e) => e.response ?? null) ?? null,
        error,
      });

    const instance = await deps.loadInstance(input.destinationId);
    if (!instance) {
      await record({ action: '-', latencyMs: 0 }, 'failed', `destination ${input.destinationId} no longer exists`);
      throw ApplicationFailure.nonRetryable(`destination ${input.destinationId} no longer exists`, 'DeliveryFailed');
    }
    const event = buildEngageEvent({
      call: input.call,
      stepKey: input.stepKey,
      journeyId: input.journeyId,
      stepId: input.stepId,
      spaceId: deps.config.spaceId,
      userId: input.userId,
      identifier: input.identifier,
      traits: input.traits,
      messageId,
      timestamp: input.enteredAt,
    });
    const outcomes = await runEvent(instance, event, await deliveredActions(deps.db, messageId));
    if (outcomes.length === 0) {
      const message = `no subscription of destination ${input.destinationId} takes ${input.call} events`;
      await record({ action: '-', latencyMs: 0 }, 'failed', message);
      throw ApplicationFailure.nonRetryable(message, 'DeliveryFailed');
    }

    const failures = outcomes.filter((o) => o.status === 'failed');
    const retryable = failures.filter((o) => o.failure?.retryable);
    const retryAfterMs = Math.max(-1, ...retryable.map((o) => o.failure?.retryAfterMs ?? -1));
    const nextDelayMs =
      retryAfterMs >= 0
        ? retryAfterMs
        : backoffWithJitter(info.attempt, deps.config.deliveryInitialBackoffMs, deps.config.deliveryMaxBackoffMs);
    const windowLeftMs = deps.config.deliveryRetryWindowMs - (Date.now() - info.scheduledTimestampMs);
    const willRetry = retryable.length > 0 && nextDelayMs < windowLeftMs;

    for (const outcome of outcomes) {
      if (outcome.status === 'skipped') continue;
      const status = outcome.status === 'delivered' ? 'delivered' : outcome.failure?.retryable && willRetry ? 'retrying' : 'failed';
      await record(outcome, status, outcome.failure?.message ?? null);
    }
    const summary = failures.map((f) => `${f.action}: ${f.failure?.message ?? 'failed'}`).join('; ');
    if (willRetry) {
      throw ApplicationFailure.create({ message: summary, type: 'DeliveryRetryable', nextRetryDelay: nextDelayMs });
    }
    if (failures.length > 0) throw ApplicationFailure.nonRetryable(summary, 'DeliveryFailed');
    return {
      messageId,
      actions: outcomes.map((o) => ({ action: o.action, status: o.status, ...(o.httpStatus ? { httpStatus: o.httpStatus } : {}) })),
    };
  };
}
