import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { findDestination } from '../../db/destinations';
import { findJourney } from '../../db/journeys';
import { isListDefinition, loadDefinition } from '../../destinations/definitions';
import { buildEngageEvent } from '../../destinations/engage-event';
import { toGatedInstance } from '../../destinations/instances';
import { runEvent, type ActionOutcome } from '../../destinations/run-event';
import { makeStepKey } from '../../journeys/step-keys';
import type { ApiDeps } from '../deps';
import { ApiError, notFound, parseWith } from '../errors';

export const TestEventSchema = z
  .object({
    type: z.enum(['track', 'identify']),
    journeyId: z.string().min(1).max(100).optional(),
    stepId: z.string().min(1).max(100).optional(),
  })
  .strict();

interface StepRef {
  journeyId: string;
  stepId: string;
  stepKey: string;
}

/** Without a step, a payload shaped like any journey step's, under a recognisable test key. */
function genericStep(): StepRef {
  return { journeyId: 'jny_test', stepId: 'test', stepKey: makeStepKey('Event Tester', 'Test Event') };
}

/** The send step whose payload to send: the one named, else the journey's first that uses this destination. */
async function findStep(
  deps: ApiDeps,
  destinationId: string,
  body: z.infer<typeof TestEventSchema>,
): Promise<StepRef> {
  if (body.journeyId === undefined) {
    if (body.stepId !== undefined) throw new ApiError(400, 'invalid_request', 'stepId needs journeyId');
    return genericStep();
  }
  const journey = await findJourney(deps.db, body.journeyId);
  if (!journey) throw notFound('journey', body.journeyId);
  const step = journey.definition.steps.find((s) =>
    body.stepId !== undefined
      ? s.id === body.stepId
      : s.type === 'send' && s.destinations.some((d) => d.destinationId === destinationId),
  );
  if (!step) {
    throw body.stepId !== undefined
      ? notFound(`step of journey ${journey.id}`, body.stepId)
      : new ApiError(
          400,
          'invalid_request',
          `journey ${journey.id} has no send step to destination ${destinationId}`,
        );
  }
  if (step.type !== 'send' || !step.destinations.some((d) => d.destinationId === destinationId)) {
    throw new ApiError(
      400,
      'invalid_request',
      `step "${step.id}" of journey ${journey.id} does not send to destination ${destinationId}`,
    );
  }
  return { journeyId: journey.id, stepId: step.id, stepKey: journey.stepKeys[step.id] ?? step.id };
}

/** One action's part of the answer: the HTTP status, the full last response, and every detail of a failure. */
function presentOutcome(outcome: ActionOutcome) {
  const last = outcome.exchanges[outcome.exchanges.length - 1];
  return {
    action: outcome.action,
    status: outcome.httpStatus ?? null,
    outcome: outcome.status,
    response: last?.response ?? null,
    request: last?.request ?? null,
    lifecycle: outcome.lifecycle,
    latencyMs: outcome.latencyMs,
    exchanges: outcome.exchanges,
    ...(outcome.failure
      ? {
          error: {
            code: outcome.failure.code,
            message: outcome.failure.message,
            retryable: outcome.failure.retryable,
            ...(outcome.failure.httpStatus !== undefined ? { httpStatus: outcome.failure.httpStatus } : {}),
          },
        }
      : {}),
  };
}

/**
 * The Engage event tester (seed: "Test event payloads"; SPEC §4): a generated test user, exactly the
 * payload the chosen step would send (a generic one without a step), run through the destination
 * with its subscriptions and mappings. The tester always answers 200 when it could run the test; the
 * destination's own status, response and error are in `results`, and `ok` says whether all succeeded.
 */
export function testEventRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/destinations/:id/test-event', async (req, res) => {
    const body = parseWith(TestEventSchema, req.body ?? {});
    const row = await findDestination(deps.db, req.params.id);
    if (!row) throw notFound('destination', req.params.id);
    const definition = loadDefinition(row.slug);
    if (!definition)
      throw new ApiError(
        409,
        'definition_unavailable',
        `destination definition "${row.slug}" is not available`,
      );
    if (isListDefinition(definition)) {
      throw new ApiError(
        400,
        'list_destination',
        `${definition.name} is a list destination: the event tester is not offered for list destinations; ` +
          'publish the journey and follow its list additions in GET /v1/deliveries',
      );
    }
    const step = await findStep(deps, row.id, body);
    const testUserId = `test_user_${randomBytes(8).toString('hex')}`;
    const payload = buildEngageEvent({
      call: body.type,
      stepKey: step.stepKey,
      journeyId: step.journeyId,
      stepId: step.stepId,
      spaceId: deps.config.spaceId,
      userId: testUserId,
      identifier: { type: 'user_id', value: testUserId },
      // A generated user has no profile, so enrichment finds no traits: none are sent, never nulls.
      traits: {},
      messageId: `test-${randomBytes(16).toString('hex')}`,
      timestamp: new Date().toISOString(),
    });
    const outcomes = await runEvent(
      toGatedInstance(row, deps.secretBox, deps.db, deps.config.defaultRateLimit),
      payload,
    );
    const results = outcomes.map(presentOutcome);
    res.json({
      testUserId,
      payload,
      results,
      ok: outcomes.length > 0 && outcomes.every((o) => o.status === 'delivered'),
      ...(outcomes.length === 0
        ? { error: `no subscription of this destination takes ${body.type} events` }
        : {}),
    });
  });
  return router;
}
