import type { DeliveryAttempt, DeliveryStatus } from '../db/deliveries';
import { insertAttempts, settledMembers } from '../db/list-deliveries';
import {
  claimBatch,
  claimedBatch,
  queueState,
  settleMembers,
  type ClaimedMember,
  type MemberOutcome,
} from '../db/list-members';
import type { MemberResult } from '../destinations/batch-results';
import { buildEngageEvent } from '../destinations/engage-event';
import { parseRetryAfter } from '../destinations/errors';
import { runBatch, type BatchOutcome } from '../destinations/run-batch';
import { maxWaitOf, type FlushInput, type FlushResult, type ListRef } from '../workflows/list-types';
import { backoffWithJitter } from './deliver-event';
import type { ActivityDeps } from './deps';

/** A batch's answer is logged with each member; large ones are cut so the log stays readable. */
const MAX_LOGGED_BODY_CHARS = 2_000;

function clip(value: unknown): unknown {
  if (value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length <= MAX_LOGGED_BODY_CHARS
    ? value
    : { truncated: true, preview: text.slice(0, MAX_LOGGED_BODY_CHARS) };
}

/** Retry-After from the batch response, when a multi-status answer asked members to come back later. */
function batchRetryAfter(outcome: BatchOutcome): number | undefined {
  const headers = outcome.exchanges[outcome.exchanges.length - 1]?.response?.headers;
  return outcome.failure?.retryAfterMs ?? parseRetryAfter(headers?.['retry-after']);
}

function attemptRow(
  list: ListRef,
  claimed: ClaimedMember,
  action: string,
  status: DeliveryStatus,
  fields: Partial<DeliveryAttempt>,
): DeliveryAttempt {
  const { member } = claimed;
  return {
    messageId: member.messageId,
    workflowId: member.workflowId,
    journeyId: member.journeyId,
    journeyVersion: member.version,
    stepId: member.stepId,
    destinationId: list.destinationId,
    call: 'track',
    action,
    attempt: claimed.attempt,
    status,
    httpStatus: null,
    latencyMs: 0,
    request: null,
    response: null,
    error: null,
    ...fields,
  };
}

/**
 * One attempt at one list batch (SPEC §3, §5): claims the members due (a retry group alone, else the
 * oldest new members), builds each one's Engage event carrying the list's external_audience_id,
 * sends them through the runtime's `performBatch`, logs one deliveries row per member and action,
 * and queues the members refused retryably as a retry group: members the destination accepted are
 * never sent again.
 */
export function makeFlushListBatch(deps: ActivityDeps) {
  const finish = async (
    list: ListRef,
    counts: Pick<FlushResult, 'sent' | 'delivered' | 'failed' | 'retrying'>,
  ): Promise<FlushResult> => {
    const state = await queueState(deps.db, list);
    return {
      ...counts,
      waiting: state.waiting,
      oldestWaitingMs: state.oldestWaitingMs,
      newestWaitingMs: state.newestWaitingMs,
      nextRetryInMs: state.nextRetryInMs,
    };
  };

  return async function flushListBatch(input: FlushInput): Promise<FlushResult> {
    const { list, batchId } = input;
    const nothing = { sent: 0, delivered: 0, failed: 0, retrying: 0 };
    let claimed = await claimedBatch(deps.db, batchId);
    if (claimed.length === 0) {
      // The workflow's count is an estimate; the decision to send is taken on the queue itself, so
      // a batch is never cut short by an over-count.
      const state = await queueState(deps.db, list);
      const retryDue = state.nextRetryInMs === 0;
      const batchDue =
        state.waiting >= input.batchSize ||
        (state.newestWaitingMs ?? -1) >= input.flushIntervalMs ||
        (state.oldestWaitingMs ?? -1) >= maxWaitOf(input);
      if (!retryDue && !batchDue) return { ...nothing, ...state };
      claimed = await claimBatch(deps.db, list, batchId, input.batchSize);
      if (claimed.length === 0) return finish(list, nothing);
    }
    const byId = new Map(claimed.map((c) => [c.member.messageId, c]));
    const failAll = async (error: string): Promise<FlushResult> => {
      await insertAttempts(
        deps.db,
        claimed.map((c) => attemptRow(list, c, '-', 'failed', { error })),
      );
      await settleMembers(
        deps.db,
        claimed.map((c) => ({ messageId: c.member.messageId, status: 'failed' })),
      );
      return finish(list, { sent: claimed.length, delivered: 0, failed: claimed.length, retrying: 0 });
    };

    const instance = await deps.loadInstance(list.destinationId);
    if (!instance) return failAll(`destination ${list.destinationId} no longer exists`);
    const settled = await settledMembers(deps.db, [...byId.keys()]);
    const events = claimed.map(({ member: m }) =>
      buildEngageEvent({
        call: 'track',
        stepKey: list.audienceKey,
        journeyId: m.journeyId,
        stepId: m.stepId,
        spaceId: deps.config.spaceId,
        userId: m.userId,
        identifier: m.identifier,
        traits: m.traits,
        messageId: m.messageId,
        timestamp: m.enteredAt,
        externalAudienceId: list.externalId,
      }),
    );
    const outcomes = await runBatch(instance, events, (action, id) => settled.has(`${id} ${action}`));
    if (outcomes.length === 0 && settled.size === 0) {
      return failAll(
        `no subscription of destination ${list.destinationId} takes journey list events (track "Audience Entered")`,
      );
    }

    // A member is retried if any action refused it retryably; actions that took it skip it next time.
    const retryable = new Set<string>();
    let retryAfterMs: number | undefined;
    for (const outcome of outcomes) {
      outcome.members.forEach((result, i) => {
        if (!result.delivered && result.retryable) retryable.add(outcome.messageIds[i] ?? '');
      });
      const asked = batchRetryAfter(outcome);
      if (asked !== undefined && outcome.members.some((m) => !m.delivered && m.retryable)) {
        retryAfterMs = Math.max(retryAfterMs ?? 0, asked);
      }
    }
    const attempt = Math.max(...claimed.map((c) => c.attempt));
    const firstAttemptAt = Math.min(...claimed.map((c) => new Date(c.firstAttemptAt).getTime()));
    const delayMs =
      retryAfterMs ??
      backoffWithJitter(attempt, deps.config.deliveryInitialBackoffMs, deps.config.deliveryMaxBackoffMs);
    const windowLeftMs = deps.config.deliveryRetryWindowMs - (Date.now() - firstAttemptAt);
    const willRetry = retryable.size > 0 && delayMs < windowLeftMs;

    const rows: DeliveryAttempt[] = [];
    const failedFor = new Set<string>();
    for (const outcome of outcomes) {
      const last = outcome.exchanges[outcome.exchanges.length - 1];
      outcome.members.forEach((result: MemberResult, i) => {
        const claimedMember = byId.get(outcome.messageIds[i] ?? '');
        if (!claimedMember) return;
        const status: DeliveryStatus = result.delivered
          ? 'delivered'
          : result.retryable && willRetry
            ? 'retrying'
            : 'failed';
        if (status === 'failed') failedFor.add(claimedMember.member.messageId);
        const request = last
          ? { method: last.request.method, url: last.request.url, headers: last.request.headers }
          : { method: null, url: null, headers: {} };
        rows.push(
          attemptRow(list, claimedMember, outcome.action, status, {
            httpStatus: result.httpStatus ?? last?.response?.status ?? null,
            latencyMs: outcome.latencyMs,
            request: {
              ...request,
              batch: { id: batchId, size: outcome.members.length },
              body: result.sent ?? null,
            },
            response: last?.response
              ? {
                  status: last.response.status,
                  headers: last.response.headers,
                  body: clip(result.body ?? last.response.body),
                }
              : null,
            error: result.error ?? null,
          }),
        );
      });
    }
    await insertAttempts(deps.db, rows);

    const settlements: MemberOutcome[] = claimed.map(({ member }) => {
      const id = member.messageId;
      if (willRetry && retryable.has(id))
        return { messageId: id, status: 'retry', delayMs, retryGroup: batchId };
      return { messageId: id, status: retryable.has(id) || failedFor.has(id) ? 'failed' : 'delivered' };
    });
    await settleMembers(deps.db, settlements);
    const count = (status: MemberOutcome['status']) => settlements.filter((s) => s.status === status).length;
    return finish(list, {
      sent: claimed.length,
      delivered: count('delivered'),
      failed: count('failed'),
      retrying: count('retry'),
    });
  };
}
