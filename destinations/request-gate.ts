import type { RequestExtension } from '@segment/actions-core';
import { reserveSlot } from '../db/rate-slots';
import type { Queryable } from '../db/queryable';
import type { LoadedDefinition } from './definitions';
import { spacingMs } from './rate-limits';

/** Awaited before every HTTP request the Actions runtime makes for one destination instance. */
export type RequestGate = () => Promise<void>;

/** The shared schedule is too far ahead to wait in place; the delivery should retry after `retryAfterMs`. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly destinationId: string,
    readonly retryAfterMs: number,
  ) {
    super(`rate limit of destination ${destinationId}: next free slot in ${Math.round(retryAfterMs)} ms`);
  }
}

/**
 * Longest a request waits in place for its slot. Longer waits become a retry with that delay, so an
 * activity never sleeps past its timeout and backlogs queue in Temporal instead of in memory.
 */
export const MAX_SLOT_WAIT_MS = 20_000;
/** How late after its slot a request may still go; the rest of the 250 ms room is for jitter after the gate. */
const LATE_TOLERANCE_MS = 50;
const MAX_LATE_RETRIES = 20;

export function rateGate(
  db: Queryable,
  destinationId: string,
  requestsPerSecond: number,
): RequestGate | undefined {
  if (!(requestsPerSecond > 0)) return undefined;
  const spacing = spacingMs(requestsPerSecond);
  return async () => {
    for (let attempt = 1; ; attempt++) {
      // The slot's time was taken on the database clock somewhere during the call: counting it from
      // before the call makes a slow round trip count as lateness too.
      const askedAt = Date.now();
      const slot = await reserveSlot(db, destinationId, spacing, MAX_SLOT_WAIT_MS);
      if (!slot.reserved) throw new RateLimitedError(destinationId, slot.waitMs);
      const dueAt = askedAt + slot.waitMs;
      const sleepMs = dueAt - Date.now();
      if (sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, sleepMs));
      // A busy event loop can wake us well after our slot, next to later slots others are using:
      // sending then could exceed the limit in that second, so give the slot up and take a fresh one.
      if (Date.now() - dueAt <= LATE_TOLERANCE_MS || attempt >= MAX_LATE_RETRIES) return;
    }
  };
}

const gated = new WeakMap<LoadedDefinition, WeakMap<RequestGate, LoadedDefinition>>();

/**
 * The definition as the runtime should run it for one instance: its own `extendRequest` plus a
 * `beforeRequest` hook that waits at the gate. The runtime concatenates hook lists, so the
 * definition's own hooks still run; every request (actions, batches, createAudience) passes the gate.
 */
export function withGate(definition: LoadedDefinition, gate: RequestGate | undefined): LoadedDefinition {
  if (!gate) return definition;
  const known = gated.get(definition)?.get(gate);
  if (known) return known;
  const original = definition.extendRequest;
  // The runtime's own extension type; its payload type varies per definition.
  const extendRequest: RequestExtension<Record<string, unknown>, unknown> = (data) => {
    const own = original ? original(data as Parameters<typeof original>[0]) : {};
    // The runtime's options take hook lists although its exported type does not declare them.
    const hooks = (own as { beforeRequest?: Array<() => Promise<void>> }).beforeRequest ?? [];
    return { ...own, beforeRequest: [...hooks, async () => gate()] } as typeof own;
  };
  const wrapped: LoadedDefinition = { ...definition, extendRequest };
  const perGate = gated.get(definition) ?? new WeakMap<RequestGate, LoadedDefinition>();
  perGate.set(gate, wrapped);
  gated.set(definition, perGate);
  return wrapped;
}
