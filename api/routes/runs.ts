import { Router } from 'express';
import { listDeliveries } from '../../db/deliveries';
import { findEntries } from '../../db/journeys';
import { runStateQuery } from '../../workflows/signals';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';

/** Where a user is in a journey: the run's own state (a workflow query) plus its deliveries log. */
export function runsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/journeys/:id/runs/:userId', async (req, res) => {
    const [entry] = await findEntries(deps.db, req.params.id, req.params.userId);
    if (!entry) throw notFound(`run of user "${req.params.userId}" in journey`, req.params.id);
    const handle = deps.temporal.workflow.getHandle(entry.workflowId);
    const description = await handle.describe();
    const state = await handle.query(runStateQuery).catch(() => undefined);
    const deliveries = await listDeliveries(deps.db, { workflowId: entry.workflowId, limit: 1000 });
    res.json({
      journeyId: req.params.id,
      userId: req.params.userId,
      workflowId: entry.workflowId,
      version: entry.version,
      enteredAt: entry.enteredAt,
      workflowStatus: description.status.name,
      currentStepId: state?.currentStepId ?? null,
      status: state?.status ?? null,
      steps: state?.steps ?? [],
      deliveries,
    });
  });
  return router;
}
