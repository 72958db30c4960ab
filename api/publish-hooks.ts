import { findDestinations } from '../db/destinations';
import type { JourneyVersionRow } from '../db/journeys';
import { isListDefinition, loadDefinition } from '../destinations/definitions';
import { ensureList, ListSetupError } from '../destinations/ensure-list';
import { toGatedInstance } from '../destinations/instances';
import type { ApiDeps } from './deps';
import { ApiError } from './errors';

/**
 * Work a journey version needs done before it may take users: creating or finding the list of each
 * send step at each list destination (SPEC §3: the list is named with the step key). Runs on every
 * publish; idempotent, because the externalId is stored and found again on re-publish.
 */
export async function prepareForPublish(deps: ApiDeps, journey: JourneyVersionRow): Promise<void> {
  const sends = journey.definition.steps.flatMap((step) =>
    step.type === 'send'
      ? step.destinations.map((d) => ({ stepId: step.id, destinationId: d.destinationId }))
      : [],
  );
  if (sends.length === 0) return;
  const rows = new Map(
    (await findDestinations(deps.db, [...new Set(sends.map((s) => s.destinationId))])).map((r) => [r.id, r]),
  );
  for (const send of sends) {
    const row = rows.get(send.destinationId);
    const definition = row ? loadDefinition(row.slug) : null;
    if (!row || !definition || !isListDefinition(definition)) continue;
    const stepKey = journey.stepKeys[send.stepId];
    if (!stepKey)
      throw new Error(`journey ${journey.id} v${journey.version}: send step "${send.stepId}" has no key`);
    try {
      await ensureList(deps.db, toGatedInstance(row, deps.secretBox, deps.db, deps.config.defaultRateLimit), {
        journeyId: journey.id,
        stepId: send.stepId,
        stepKey,
        spaceId: deps.config.spaceId,
      });
    } catch (error) {
      if (!(error instanceof ListSetupError)) throw error;
      const { verdict } = error;
      throw new ApiError(502, 'list_setup_failed', `step "${send.stepId}": ${error.message}`, [
        {
          path: `steps.${send.stepId}.destinations.${send.destinationId}`,
          code: verdict.code,
          message: verdict.message,
          ...(verdict.httpStatus !== undefined ? { httpStatus: verdict.httpStatus } : {}),
        },
      ]);
    }
  }
}
