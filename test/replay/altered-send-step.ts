/**
 * A deliberately incompatible send step: it resolves identifiers before enriching traits, so its
 * commands come in another order. Bundled in place of the real one by the replay test, which must
 * then report non-determinism: proof that the replay test can fail.
 */
import { enrichTraits, resolveIdentifiers } from '../../workflows/activities';
import type { StepHandler } from '../../workflows/steps/context';

export const runSendStep: StepHandler<'send'> = async (step, ctx) => {
  for (const destination of step.destinations) {
    await resolveIdentifiers({ userId: ctx.input.userId, idSync: destination.idSync });
    await enrichTraits({ userId: ctx.input.userId, mapping: destination.enrichment?.traits ?? {} });
  }
  return step.next;
};
