import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { findEntries, insertEntry, lockEntries, type EntryRow, type JourneyVersionRow } from '../db/journeys';
import { inTransaction } from '../db/pool';
import { scaledMs } from '../journeys/duration';
import { endRunSignal } from '../workflows/signals';
import { JourneyIdKey, JourneyVersionKey, StepIdKey, UserIdKey } from '../workflows/search-attributes';
import type { JourneyRunInput } from '../workflows/types';
import type { ApiDeps } from './deps';

export type EntryStatus = 'started' | 'already_entered' | 'in_journey' | 'reentry_window';

export interface EntryResult {
  userId: string;
  workflowId: string | null;
  status: EntryStatus;
}

export interface EntryTrigger {
  /** The ingested event's messageId: a retried call finds its entry instead of making another. */
  triggerId?: string;
  properties?: Record<string, unknown>;
}

/** `journey:<journey>:<user>` for a user's first entry, then `:<n>` for later ones (SPEC §6). */
export function runWorkflowId(journeyId: string, userId: string, entryNo = 1): string {
  return entryNo === 1 ? `journey:${journeyId}:${userId}` : `journey:${journeyId}:${userId}:${entryNo}`;
}

type Decision = { entry: EntryRow } | { skip: EntryStatus; workflowId: string | null };

/** Applies the journey's re-entry rule (SPEC §2) to the user's earlier entries. */
async function decide(deps: ApiDeps, journey: JourneyVersionRow, userId: string, trigger: EntryTrigger): Promise<Decision> {
  return inTransaction(deps.db, async (tx) => {
    await lockEntries(tx, journey.id, userId);
    const entries = await findEntries(tx, journey.id, userId);
    const byTrigger = trigger.triggerId ? entries.find((e) => e.triggerId === trigger.triggerId) : undefined;
    if (byTrigger) return { entry: byTrigger };
    const latest = entries[0];
    const reentry = journey.definition.reentry;
    if (reentry.mode === 'once') {
      const sameVersion = entries.find((e) => e.version === journey.version);
      if (sameVersion) return { entry: sameVersion };
    } else if (reentry.mode === 'after' && latest) {
      const description = await deps.temporal.workflow.getHandle(latest.workflowId).describe();
      if (description.status.name === 'RUNNING') return { skip: 'in_journey', workflowId: latest.workflowId };
      const closedAt = description.closeTime?.getTime() ?? 0;
      if (Date.now() - closedAt < scaledMs(reentry.after, deps.config.timeScale)) return { skip: 'reentry_window', workflowId: latest.workflowId };
    }
    const entryNo = (latest?.entryNo ?? 0) + 1;
    const entry: EntryRow = {
      entryNo,
      version: journey.version,
      workflowId: runWorkflowId(journey.id, userId, entryNo),
      triggerId: trigger.triggerId ?? null,
      enteredAt: new Date(),
    };
    await insertEntry(tx, { journeyId: journey.id, userId, ...entry, triggerId: trigger.triggerId });
    return { entry };
  });
}

/**
 * Enters one user, or finds the entry that already stands. Starting is idempotent (the workflow id
 * is fixed by the entry row), so an entry claimed before a crash is started by the next attempt.
 */
export async function enterUser(
  deps: ApiDeps,
  journey: JourneyVersionRow,
  userId: string,
  trigger: EntryTrigger = {},
): Promise<EntryResult> {
  const decision = await decide(deps, journey, userId, trigger);
  if ('skip' in decision) return { userId, workflowId: decision.workflowId, status: decision.skip };
  const { entry } = decision;
  const input: JourneyRunInput = {
    journeyId: journey.id,
    version: entry.version,
    userId,
    entryNo: entry.entryNo,
    ...(trigger.properties ? { entryProperties: trigger.properties } : {}),
  };
  try {
    await deps.temporal.workflow.start('journeyWorkflow', {
      workflowId: entry.workflowId,
      taskQueue: deps.config.taskQueue,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      memo: { journeyName: journey.name },
      typedSearchAttributes: [
        { key: JourneyIdKey, value: journey.id },
        { key: JourneyVersionKey, value: entry.version },
        { key: UserIdKey, value: userId },
        { key: StepIdKey, value: journey.definition.start },
      ],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { userId, workflowId: entry.workflowId, status: 'already_entered' };
    throw error;
  }
  return { userId, workflowId: entry.workflowId, status: 'started' };
}

/** Enters many users with a bounded number of starts in flight, keeping the input order in the result. */
export async function enterUsers(
  deps: ApiDeps,
  journey: JourneyVersionRow,
  userIds: readonly string[],
  concurrency = 32,
): Promise<EntryResult[]> {
  const results: EntryResult[] = new Array(userIds.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < userIds.length) {
      const index = next++;
      results[index] = await enterUser(deps, journey, userIds[index] as string);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, userIds.length) }, lane));
  return results;
}

/** Ends every running run of a journey (archive): found by search attribute, told by signal. */
export async function endRuns(deps: ApiDeps, journeyId: string, reason: string): Promise<number> {
  let ended = 0;
  const query = `JourneyId = "${journeyId}" AND ExecutionStatus = "Running"`;
  for await (const run of deps.temporal.workflow.list({ query })) {
    await deps.temporal.workflow
      .getHandle(run.workflowId, run.runId)
      .signal(endRunSignal, { reason })
      .then(() => ended++)
      .catch(() => undefined);
  }
  return ended;
}
