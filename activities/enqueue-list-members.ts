import { ApplicationFailure, Context } from '@temporalio/activity';
import { insertMembers } from '../db/list-members';
import { findList, type ListRow } from '../db/lists';
import { deliveryMessageId } from '../destinations/engage-event';
import { ensureList, ListSetupError } from '../destinations/ensure-list';
import { listBatchSize } from '../destinations/list-settings';
import type { IdSyncRule } from '../journeys/id-sync';
import type { ListMember } from '../workflows/list-types';
import type { StepAtDestination } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { ListSignaller } from './list-signaller';
import { makeEnrichTraits, makeResolveIdentifiers } from './profile-reads';

export interface EnqueueListMembersInput extends StepAtDestination {
  /** Trait Enrichment: destination field → trait. */
  mapping: Record<string, string>;
  /** ID Sync: which identifier values become members (one member each). */
  idSync?: IdSyncRule[];
}

export interface EnqueueListMembersResult {
  externalId: string;
  members: Array<{ identifier: string; messageId: string }>;
}

const LIST_CACHE_MS = 5_000;

function destinationGone(destinationId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`destination ${destinationId} no longer exists`, 'DeliveryFailed');
}

/**
 * Hands a run's members to the batching workflow of the step's list (SPEC §3, §6): enriches the
 * user's traits and resolves the identifiers (the same reads a send step to an event destination
 * makes, done here so that a list step costs the run a single local activity), stores one member
 * per identifier value in the list's queue (list_members) and tells the list's batcher by signal.
 * The list was made on publish; should it be missing (a database restored without it) it is
 * created here the same way.
 */
export function makeEnqueueListMembers(deps: ActivityDeps) {
  const signaller = new ListSignaller(deps.temporal);
  const enrichTraits = makeEnrichTraits(deps);
  const resolveIdentifiers = makeResolveIdentifiers(deps);
  const lists = new Map<string, { at: number; row: ListRow }>();
  // Parsing the subscriptions' FQL for every member adds up when thousands arrive; instances are cached.
  const batchSizes = new WeakMap<object, number>();
  const batchSizeOf = (instance: Parameters<typeof listBatchSize>[0]): number => {
    const known = batchSizes.get(instance);
    if (known !== undefined) return known;
    const size = listBatchSize(instance, deps.config.listBatchSize);
    batchSizes.set(instance, size);
    return size;
  };

  const listOf = async (input: EnqueueListMembersInput): Promise<ListRow> => {
    const key = `${input.destinationId}\u0000${input.stepKey}`;
    const hit = lists.get(key);
    if (hit && Date.now() - hit.at < LIST_CACHE_MS) return hit.row;
    let row = await findList(deps.db, input.destinationId, input.stepKey);
    if (!row) {
      const instance = await deps.loadInstance(input.destinationId);
      if (!instance) throw destinationGone(input.destinationId);
      row = await ensureList(deps.db, instance, {
        journeyId: input.journeyId,
        stepId: input.stepId,
        stepKey: input.stepKey,
        spaceId: deps.config.spaceId,
      });
    }
    lists.set(key, { at: Date.now(), row });
    return row;
  };

  return async function enqueueListMembers(
    input: EnqueueListMembersInput,
  ): Promise<EnqueueListMembersResult> {
    const instance = await deps.loadInstance(input.destinationId);
    if (!instance) throw destinationGone(input.destinationId);
    let list: ListRow;
    try {
      list = await listOf(input);
    } catch (error) {
      // A destination that refuses to make the list is retried like a delivery: it may be down.
      if (error instanceof ListSetupError && !error.verdict.retryable) {
        throw ApplicationFailure.nonRetryable(error.message, 'DeliveryFailed');
      }
      throw error;
    }
    const traits =
      Object.keys(input.mapping).length > 0
        ? await enrichTraits({ userId: input.userId, mapping: input.mapping })
        : {};
    const identifiers = await resolveIdentifiers({
      userId: input.userId,
      ...(input.idSync ? { idSync: input.idSync } : {}),
    });
    const members: ListMember[] = identifiers.map((identifier) => ({
      messageId: deliveryMessageId({ ...input, identifier }),
      workflowId: input.workflowId,
      journeyId: input.journeyId,
      version: input.version,
      stepId: input.stepId,
      userId: input.userId,
      identifier,
      traits,
      enteredAt: input.enteredAt,
    }));
    const settings = {
      batchSize: batchSizeOf(instance),
      flushIntervalMs: deps.config.listFlushIntervalMs,
      maxWaitMs: deps.config.listMaxWaitMs,
    };
    const ref = {
      destinationId: list.destinationId,
      externalId: list.externalId,
      audienceKey: list.audienceKey,
    };
    await insertMembers(deps.db, ref, members);
    // Announced even when every member was stored before (a retry after a crash between the two
    // steps): the batcher over-counting costs one empty look at the queue, never a lost member.
    await signaller.announce(ref, Context.current().info.taskQueue, settings, members.length);
    return {
      externalId: list.externalId,
      members: members.map((m) => ({ identifier: m.identifier.type, messageId: m.messageId })),
    };
  };
}
