import { Destination, type SegmentEvent, type Subscription } from '@segment/actions-core';
import { memberResults, type MemberResult, type MultiStatusNode } from './batch-results';
import { classifyError, type FailureVerdict } from './errors';
import { redact } from './redact';
import { withGate } from './request-gate';
import { exchangeOf, secretValues, type DestinationInstance, type RecordedExchange } from './run-event';
import { effectiveSubscriptions, subscriptionMatches } from './subscriptions';

/** What one subscription (action) did with one batch. */
export interface BatchOutcome {
  action: string;
  /** The members this action was given (those it had not settled yet), aligned with `members`. */
  messageIds: string[];
  members: MemberResult[];
  exchanges: RecordedExchange[];
  latencyMs: number;
  /** Set when the whole request failed (no per-member answer): its classification. */
  failure?: FailureVerdict;
}

type Runtime = Destination<Record<string, unknown>>;

/**
 * A batch request's body is every member's payload (megabytes for thousands of members); each
 * member's own part is logged with it (`sent`), so the exchange keeps only method, URL and headers.
 */
function withoutBatchBody(exchange: RecordedExchange): RecordedExchange {
  const { body: _body, ...request } = exchange.request;
  return { ...exchange, request };
}

function failedAll(count: number, verdict: FailureVerdict): MemberResult[] {
  return Array.from({ length: count }, () => ({
    delivered: false,
    retryable: verdict.retryable,
    ...(verdict.httpStatus !== undefined ? { httpStatus: verdict.httpStatus } : {}),
    error: verdict.message,
  }));
}

/** The runtime's `performBatch` through `onBatch`, which maps, validates and reports per member. */
async function viaPerformBatch(
  destination: Runtime,
  instance: DestinationInstance,
  subscription: Subscription,
  events: SegmentEvent[],
) {
  const results = await destination.onBatch(events, {
    ...(instance.settings as Record<string, never>),
    subscription: subscription as unknown as never,
  });
  const nodes = (results[0] as { multistatus?: MultiStatusNode[] } | undefined)?.multistatus ?? [];
  return memberResults(
    nodes,
    events.map((e) => e.messageId ?? ''),
  );
}

/** Actions without `performBatch` (a few list destinations) get their members one request each. */
async function oneByOne(
  destination: Runtime,
  instance: DestinationInstance,
  subscription: Subscription,
  events: SegmentEvent[],
) {
  const members: MemberResult[] = [];
  for (const event of events) {
    try {
      await destination.onEvent(event, {
        ...(instance.settings as Record<string, never>),
        subscription: subscription as unknown as never,
      });
      members.push({ delivered: true, retryable: false });
    } catch (error) {
      members.push(...failedAll(1, classifyError(error)));
    }
  }
  return members;
}

/**
 * Sends a batch of list events (all the same shape: "Audience Entered" tracks of one list) through
 * every subscription of the instance that takes them, and reports each member's fate per action.
 * `settled(action, messageId)` names members an action already handled, which it is not sent again.
 */
export async function runBatch(
  instance: DestinationInstance,
  all: SegmentEvent[],
  settled: (action: string, messageId: string) => boolean = () => false,
): Promise<BatchOutcome[]> {
  const first = all[0];
  if (!first) return [];
  const secrets = secretValues(instance);
  const outcomes: BatchOutcome[] = [];
  for (const subscription of effectiveSubscriptions(instance.definition, instance.subscriptions)) {
    if (!subscriptionMatches(subscription.subscribe, first)) continue;
    const events = all.filter((e) => !settled(subscription.partnerAction, e.messageId ?? ''));
    if (events.length === 0) continue;
    const destination = new Destination(withGate(instance.definition, instance.gate));
    const batched = Boolean(instance.definition.actions[subscription.partnerAction]?.performBatch);
    const started = performance.now();
    let members: MemberResult[];
    let failure: FailureVerdict | undefined;
    try {
      members = batched
        ? await viaPerformBatch(destination, instance, subscription, events)
        : await oneByOne(destination, instance, subscription, events);
    } catch (error) {
      const verdict = classifyError(error);
      failure = { ...verdict, message: redact(verdict.message, secrets) };
      members = failedAll(events.length, failure);
    }
    outcomes.push({
      action: subscription.partnerAction,
      messageIds: events.map((e) => e.messageId ?? ''),
      members: members.map((m) => redact(m, secrets)),
      exchanges: destination.responses.map((r) => redact(withoutBatchBody(exchangeOf(r)), secrets)),
      latencyMs: Math.round(performance.now() - started),
      ...(failure ? { failure } : {}),
    });
  }
  return outcomes;
}
