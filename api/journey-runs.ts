import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { recordEntry } from '../db/journeys';
import type { JourneyVersionRow } from '../db/journeys';
import { JourneyIdKey, JourneyVersionKey, StepIdKey, UserIdKey } from '../workflows/search-attributes';
import type { JourneyRunInput } from '../workflows/types';
import type { ApiDeps } from './deps';

export interface EntryResult {
  userId: string;
  workflowId: string;
  status: 'started' | 'already_entered';
}

export function runWorkflowId(journeyId: string, userId: string): string {
  return `journey:${journeyId}:${userId}`;
}

/** Starts one run; a user who already has (or had) a run of a `once` journey is not entered again. */
export async function enterUser(deps: ApiDeps, journey: JourneyVersionRow, userId: string): Promise<EntryResult> {
  const workflowId = runWorkflowId(journey.id, userId);
  const input: JourneyRunInput = { journeyId: journey.id, version: journey.version, userId, entryNo: 1 };
  try {
    await deps.temporal.workflow.start('journeyWorkflow', {
      workflowId,
      taskQueue: deps.config.taskQueue,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      memo: { journeyName: journey.name },
      typedSearchAttributes: [
        { key: JourneyIdKey, value: journey.id },
        { key: JourneyVersionKey, value: journey.version },
        { key: UserIdKey, value: userId },
        { key: StepIdKey, value: journey.definition.start },
      ],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { userId, workflowId, status: 'already_entered' };
    throw error;
  }
  await recordEntry(deps.db, { journeyId: journey.id, userId, entryNo: 1, version: journey.version, workflowId });
  return { userId, workflowId, status: 'started' };
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
