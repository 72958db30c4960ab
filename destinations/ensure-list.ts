import { Destination } from '@segment/actions-core';
import { findList, lockList, saveList, type ListRow } from '../db/lists';
import { inTransaction, type Db } from '../db/pool';
import { classifyError, type FailureVerdict } from './errors';
import { redact } from './redact';
import { withGate } from './request-gate';
import { secretValues, type DestinationInstance } from './run-event';

/** The send step a list belongs to; its key is the list's name at the destination (SPEC §3). */
export interface ListTarget {
  journeyId: string;
  stepId: string;
  stepKey: string;
  spaceId: string;
}

/** The destination refused to create the list; `verdict` says why, secrets redacted. */
export class ListSetupError extends Error {
  constructor(
    readonly destinationId: string,
    readonly verdict: FailureVerdict,
  ) {
    super(`destination ${destinationId}: creating the list failed: ${verdict.message}`);
  }
}

function runtimeFor(instance: DestinationInstance) {
  return new Destination(withGate(instance.definition, instance.gate));
}

async function createAudience(instance: DestinationInstance, target: ListTarget): Promise<string> {
  try {
    const result = await runtimeFor(instance).createAudience({
      audienceName: target.stepKey,
      settings: instance.settings,
      audienceSettings: {},
      // Some definitions (iterable-lists) name the list after the computation key rather than the name.
      personas: {
        computation_key: target.stepKey,
        computation_id: `${target.journeyId}:${target.stepId}`,
        namespace: target.spaceId,
        computation_class: 'journey_step',
      },
    });
    return String(result.externalId);
  } catch (error) {
    const verdict = classifyError(error);
    throw new ListSetupError(instance.id, {
      ...verdict,
      message: redact(verdict.message, secretValues(instance)),
    });
  }
}

/**
 * Confirms a stored list with the destination's `getAudience`. Only a 404 (the list was deleted at
 * the destination) makes us create a new one; any other failure keeps the stored id, because several
 * definitions cannot look a list up at all without extra settings (webhook-audiences needs a
 * separate URL) and a list we created ourselves is the best knowledge we have.
 */
async function confirmAudience(instance: DestinationInstance, stored: ListRow): Promise<string | 'gone'> {
  try {
    const found = await runtimeFor(instance).getAudience({
      settings: instance.settings,
      audienceSettings: {},
      externalId: stored.externalId,
    });
    return found?.externalId ? String(found.externalId) : stored.externalId;
  } catch (error) {
    return classifyError(error).httpStatus === 404 ? 'gone' : stored.externalId;
  }
}

/**
 * Creates or finds the list of one send step at one list destination and stores its externalId.
 * Idempotent: a re-publish finds the stored list and creates nothing. An advisory lock held for the
 * transaction keeps two publishes (or a publish and a worker) from creating it twice.
 */
export async function ensureList(
  db: Db,
  instance: DestinationInstance,
  target: ListTarget,
): Promise<ListRow> {
  return inTransaction(db, async (tx) => {
    await lockList(tx, instance.id, target.stepKey);
    const stored = await findList(tx, instance.id, target.stepKey);
    let externalId: string;
    if (stored) {
      const confirmed = await confirmAudience(instance, stored);
      if (confirmed === stored.externalId) return stored;
      externalId = confirmed === 'gone' ? await createAudience(instance, target) : confirmed;
    } else {
      externalId = await createAudience(instance, target);
    }
    const row: ListRow = {
      destinationId: instance.id,
      audienceKey: target.stepKey,
      externalId,
      journeyId: stored?.journeyId ?? target.journeyId,
      stepId: stored?.stepId ?? target.stepId,
    };
    await saveList(tx, row);
    return row;
  });
}
