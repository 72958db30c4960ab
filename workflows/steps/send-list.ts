import { proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { SendDestination } from '../../journeys/schema';
import { deliveryRetry } from '../activities';
import type { DeliverySummary, RetrySettings } from '../types';
import { stepAtDestination, type StepContext } from './context';
import { failureMessage } from './failures';

function listActivities(retry: RetrySettings): Pick<Activities, 'enqueueListMembers'> {
  // Enqueuing only needs PostgreSQL and Temporal (or, rarely, the destination to create its list), so
  // it runs as a local activity: no task queue round trip for each of thousands of runs reaching the
  // step at once. Its result, kept in a history marker, holds identifier types and message ids only,
  // no personal data. Retried as long as a delivery would be.
  return proxyLocalActivities<Activities>({ startToCloseTimeout: '1m', ...deliveryRetry(retry) });
}

/**
 * A list destination (SPEC §3): each resolved identifier value becomes a member of the step's list,
 * handed to the list's batching workflow. One local activity enriches, resolves the identifiers (ID
 * Sync) and enqueues. The run moves on once its members are queued; their delivery, in batches, is
 * logged per member in the deliveries log under this run's workflow id.
 */
export async function enqueueToList(
  destination: SendDestination,
  stepId: string,
  enteredAt: string,
  ctx: StepContext,
): Promise<DeliverySummary[]> {
  const summary = { stepId, destinationId: destination.destinationId };
  try {
    const { members } = await listActivities(ctx.plan.retry).enqueueListMembers({
      ...stepAtDestination(ctx, stepId, destination.destinationId, enteredAt),
      mapping: destination.enrichment?.traits ?? {},
      ...(destination.idSync ? { idSync: destination.idSync } : {}),
    });
    return members.map((m) => ({
      ...summary,
      identifier: m.identifier,
      messageId: m.messageId,
      status: 'queued',
    }));
  } catch (error) {
    // Like a failed send, a list that cannot take members never stalls the journey (SPEC §5).
    return [{ ...summary, identifier: '-', status: 'failed', error: failureMessage(error) }];
  }
}
