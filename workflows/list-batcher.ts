import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  listBatcherStateQuery,
  listMembersAddedSignal,
  type FlushResult,
  type ListBatcherInput,
  type ListBatchSettings,
  type ListQueueView,
  maxWaitOf,
} from './list-types';

/**
 * One attempt at one batch. The activity claims the members, sends them, records every member's
 * outcome and queues refused members again, so its own (Temporal) retries only cover
 * infrastructure failures: the database or the worker going away mid-flush. A retried attempt
 * resends exactly the members its batch id claimed.
 */
const { flushListBatch } = proxyActivities<Pick<Activities, 'flushListBatch'>>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** A run hands over to a fresh one after this many flushes (looks at the queue), so its history stays short. */
export const MAX_FLUSHES_PER_RUN = 100;
/** Temporal caps signals per run (10,000 by default); hand over long before. */
const MAX_SIGNALS_PER_RUN = 1_000;
const MAX_HISTORY_EVENTS = 5_000;
/** A list nobody adds to for this long ends its workflow; the next member starts a new one. */
const IDLE_MS = 10 * 60 * 1000;
/** After a look that sent nothing, the next waits at least this long: never a tight loop of looks. */
const MIN_LOOK_GAP_MS = 250;

/**
 * Adds journey members to one list at one destination (SPEC §3, §6). The enqueue activity stores
 * members in PostgreSQL and tells this workflow, by signal-with-start, how many arrived; it sends
 * them in batches of the destination's batch size. A batch that is not full goes once the list has
 * been quiet for `flushIntervalMs` (a burst is over: seconds, not hours) or its oldest member has
 * waited `maxWaitMs` (a steady stream): a stream of 10,000 members makes full batches, a lone member
 * leaves within seconds. Members refused retryably come back as a retry group, resent alone when
 * due. Append-only: nothing here ever removes a member. Members never travel through this workflow's
 * history, so a burst of any size leaves it small.
 */
export async function ListBatcherWorkflow(input: ListBatcherInput): Promise<{ flushed: number }> {
  const { list } = input;
  const queue: ListQueueView = input.carry?.queue ?? {
    waiting: 0,
    oldestWaitingAt: Date.now(),
    nextRetryAt: null,
  };
  let settings: ListBatchSettings = input.carry?.settings ?? { batchSize: 1000, flushIntervalMs: 2000 };
  let flushed = input.carry?.flushed ?? 0;
  let looksThisRun = 0;
  let signals = 0;
  let signalsSinceLook = 0;
  /** The last look at the queue found nothing due: the count over-estimated it (see learn). */
  let declined = false;
  let lookedAt = 0;
  let flushing = false;
  let addedWhileFlushing = 0;
  let firstAddedWhileFlushingAt = 0;
  let lastAddedWhileFlushingAt = 0;

  setHandler(listMembersAddedSignal, ({ added, settings: latest }) => {
    signals++;
    signalsSinceLook++;
    settings = latest;
    if (added <= 0) return;
    if (flushing) {
      if (addedWhileFlushing === 0) firstAddedWhileFlushingAt = Date.now();
      lastAddedWhileFlushingAt = Date.now();
      addedWhileFlushing += added;
      return;
    }
    if (queue.waiting === 0) queue.oldestWaitingAt = Date.now();
    queue.newestWaitingAt = Date.now();
    queue.waiting += added;
  });
  setHandler(listBatcherStateQuery, () => ({ list, queue: { ...queue }, flushed, settings }));

  const full = (): boolean => queue.waiting >= settings.batchSize;
  /** After a look that found the batch not yet full, the count may only call for another with news. */
  const fullAndNews = (): boolean => full() && (!declined || signalsSinceLook > 0);
  const batchDueAt = (): number =>
    Math.min(
      (queue.newestWaitingAt ?? queue.oldestWaitingAt) + settings.flushIntervalMs,
      queue.oldestWaitingAt + maxWaitOf(settings),
    );
  const dueAt = (): number =>
    Math.min(queue.waiting > 0 ? batchDueAt() : Infinity, queue.nextRetryAt ?? Infinity);

  /** The queue as the flush left it, plus what was announced meanwhile (counted twice at worst, never lost). */
  const learn = (result: FlushResult, now: number): void => {
    queue.waiting = result.waiting + addedWhileFlushing;
    queue.oldestWaitingAt =
      result.oldestWaitingMs !== null
        ? now - result.oldestWaitingMs
        : addedWhileFlushing > 0
          ? firstAddedWhileFlushingAt
          : now;
    queue.newestWaitingAt =
      addedWhileFlushing > 0
        ? lastAddedWhileFlushingAt
        : result.newestWaitingMs !== null && result.newestWaitingMs !== undefined
          ? now - result.newestWaitingMs
          : queue.oldestWaitingAt;
    queue.nextRetryAt = result.nextRetryInMs !== null ? now + result.nextRetryInMs : null;
  };

  const wantsNewRun = (): boolean => {
    const info = workflowInfo();
    return (
      looksThisRun >= MAX_FLUSHES_PER_RUN ||
      signals >= MAX_SIGNALS_PER_RUN ||
      info.historyLength >= MAX_HISTORY_EVENTS ||
      info.continueAsNewSuggested
    );
  };

  for (;;) {
    if (wantsNewRun()) break;
    if (queue.waiting === 0 && queue.nextRetryAt === null) {
      if (!(await condition(() => queue.waiting > 0, IDLE_MS))) return { flushed };
      continue;
    }
    const due = declined ? Math.max(dueAt(), lookedAt + MIN_LOOK_GAP_MS) : dueAt();
    if (!fullAndNews() && due > Date.now()) {
      // Wake early when the batch fills, or when members arrive at an empty queue (a new deadline).
      const emptyAtStart = queue.waiting === 0;
      await condition(() => fullAndNews() || (emptyAtStart && queue.waiting > 0), due - Date.now());
      continue;
    }
    flushing = true;
    addedWhileFlushing = 0;
    signalsSinceLook = 0;
    const batchId = `${workflowInfo().runId}-${looksThisRun}`;
    looksThisRun++;
    const result = await flushListBatch({
      list,
      batchId,
      batchSize: settings.batchSize,
      flushIntervalMs: settings.flushIntervalMs,
      ...(settings.maxWaitMs === undefined ? {} : { maxWaitMs: settings.maxWaitMs }),
    });
    flushing = false;
    lookedAt = Date.now();
    learn(result, lookedAt);
    declined = result.sent === 0;
    if (!declined) flushed++;
  }
  return continueAsNew<typeof ListBatcherWorkflow>({ list, carry: { queue, settings, flushed } });
}
