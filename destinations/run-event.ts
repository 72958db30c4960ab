import { Destination, type DecoratedResponse, type SegmentEvent, type Subscription } from '@segment/actions-core';
import type { LoadedDefinition } from './definitions';
import { classifyError, type FailureVerdict } from './errors';
import { redact } from './redact';
import { withGate, type RequestGate } from './request-gate';
import { effectiveSubscriptions, subscriptionMatches } from './subscriptions';

export interface DestinationInstance {
  id: string;
  slug: string;
  definition: LoadedDefinition;
  /** Decrypted settings: only ever held in memory. */
  settings: Record<string, unknown>;
  subscriptions: Subscription[] | null;
  /** The instance's rate limit, awaited before each request (absent: unlimited). */
  gate?: RequestGate;
}

export interface RecordedExchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response?: { status: number; headers: Record<string, string>; body: unknown };
}

/** What one subscription (action) did with the event: the event tester's "Event lifecycle". */
export interface ActionOutcome {
  action: string;
  subscribe: string;
  status: 'delivered' | 'failed' | 'skipped';
  httpStatus?: number;
  lifecycle: string[];
  exchanges: RecordedExchange[];
  latencyMs: number;
  failure?: FailureVerdict;
}

function headersOf(headers: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  headers?.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function bodyOf(response: DecoratedResponse): unknown {
  const data = (response as { data?: unknown }).data;
  return data !== undefined ? data : (response as { content?: string }).content;
}

export function exchangeOf(response: DecoratedResponse): RecordedExchange {
  const options = response.options as { json?: unknown; body?: unknown; method?: string } | undefined;
  return {
    request: {
      method: response.request?.method ?? options?.method ?? 'GET',
      url: response.request?.url ?? response.url,
      headers: headersOf(response.request?.headers),
      ...(options?.json !== undefined ? { body: options.json } : options?.body ? { body: String(options.body) } : {}),
    },
    response: { status: response.status, headers: headersOf(response.headers), body: bodyOf(response) },
  };
}

/**
 * Runs one event through every subscription of a destination instance that matches it, each on its
 * own `Destination` object so that its requests and responses are attributed to it alone.
 * `skipActions` lets a retry pass over actions that already delivered this message.
 */
export async function runEvent(
  instance: DestinationInstance,
  event: SegmentEvent,
  skipActions: ReadonlySet<string> = new Set(),
): Promise<ActionOutcome[]> {
  const secrets = secretValues(instance);
  const outcomes: ActionOutcome[] = [];
  for (const subscription of effectiveSubscriptions(instance.definition, instance.subscriptions)) {
    const base = { action: subscription.partnerAction, subscribe: subscription.subscribe };
    if (!subscriptionMatches(subscription.subscribe, event)) continue;
    if (skipActions.has(subscription.partnerAction)) {
      outcomes.push({ ...base, status: 'skipped', lifecycle: ['Already delivered'], exchanges: [], latencyMs: 0 });
      continue;
    }
    const destination = new Destination(withGate(instance.definition, instance.gate));
    const started = performance.now();
    let lifecycle: string[] = [];
    let failure: FailureVerdict | undefined;
    try {
      const results = await destination.onEvent(event, {
        ...(instance.settings as Record<string, never>),
        subscription: subscription as unknown as never,
      });
      lifecycle = results.map((r) => (typeof r.output === 'string' ? r.output : JSON.stringify(r.output ?? r.error)));
    } catch (error) {
      failure = classifyError(error);
      lifecycle.push(`Failed: ${failure.message}`);
    }
    const exchanges = destination.responses.map((r) => redact(exchangeOf(r), secrets));
    const last = exchanges[exchanges.length - 1]?.response;
    outcomes.push({
      ...base,
      status: failure ? 'failed' : 'delivered',
      ...(failure?.httpStatus !== undefined || last ? { httpStatus: failure?.httpStatus ?? last?.status } : {}),
      lifecycle,
      exchanges,
      latencyMs: Math.round(performance.now() - started),
      ...(failure ? { failure: { ...failure, message: redact(failure.message, secrets) } } : {}),
    });
  }
  return outcomes;
}

export function secretValues(instance: Pick<DestinationInstance, 'definition' | 'settings'>): string[] {
  const fields = instance.definition.authentication?.fields ?? {};
  return Object.entries(fields)
    .filter(([, field]) => (field as { type?: string }).type === 'password')
    .map(([key]) => instance.settings[key])
    .filter((value): value is string => typeof value === 'string' && value.length >= 4);
}
