import type { SendDestination } from '../../journeys/schema';
import { deliveryActivities, enrichTraits, resolveIdentifiers } from '../activities';
import type { DeliverySummary } from '../types';
import { stepAtDestination, type StepContext, type StepHandler } from './context';
import { failureMessage } from './failures';
import { enqueueToList } from './send-list';

/** One destination of a send step: enrich, resolve identifiers, then one delivery per identifier value. */
async function sendToDestination(
  destination: SendDestination,
  stepId: string,
  enteredAt: string,
  ctx: StepContext,
): Promise<DeliverySummary[]> {
  if (ctx.plan.destinationKinds[destination.destinationId] === 'list') return enqueueToList(destination, stepId, enteredAt, ctx);
  const { userId } = ctx.input;
  const mapping = destination.enrichment?.traits ?? {};
  const traits = Object.keys(mapping).length > 0 ? await enrichTraits({ userId, mapping }) : {};
  const identifiers = await resolveIdentifiers({ userId, idSync: destination.idSync });
  const { deliverEvent } = deliveryActivities(ctx.plan.retry);
  return Promise.all(
    identifiers.map(async (identifier): Promise<DeliverySummary> => {
      const summary = { stepId, destinationId: destination.destinationId, identifier: identifier.type };
      try {
        const result = await deliverEvent({
          ...stepAtDestination(ctx, stepId, destination.destinationId, enteredAt),
          call: destination.call,
          identifier,
          traits,
        });
        return { ...summary, messageId: result.messageId, status: 'delivered' };
      } catch (error) {
        // A failed send never stalls the journey (SPEC §5): record it and move on.
        return { ...summary, status: 'failed', error: failureMessage(error) };
      }
    }),
  );
}

export const runSendStep: StepHandler<'send'> = async (step, ctx) => {
  const enteredAt = ctx.visit.enteredAt;
  const results = await Promise.all(step.destinations.map((d) => sendToDestination(d, step.id, enteredAt, ctx)));
  const summaries = results.flat();
  ctx.state.deliveries.push(...summaries);
  const failed = summaries.filter((s) => s.status === 'failed').length;
  ctx.visit.outcome = `${summaries.length - failed} delivered, ${failed} failed`;
  return step.next;
};
