import { Router } from 'express';
import { z } from 'zod';
import { listDeliveries } from '../../db/deliveries';
import type { ApiDeps } from '../deps';
import { parseWith } from '../errors';

export const DeliveriesQuery = z
  .object({
    journeyId: z.string().min(1).max(100).optional(),
    stepId: z.string().min(1).max(100).optional(),
    destinationId: z.string().min(1).max(100).optional(),
    messageId: z.string().min(1).max(100).optional(),
    status: z.enum(['delivered', 'retrying', 'failed']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    before: z.string().regex(/^\d{1,18}$/, 'must be a delivery id').optional(),
  })
  .strict();

/** The event lifecycle log: every delivery attempt, newest first, with request and response. */
export function deliveriesRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/deliveries', async (req, res) => {
    const query = parseWith(DeliveriesQuery, req.query, 'query');
    const rows = await listDeliveries(deps.db, query);
    const last = rows[rows.length - 1];
    res.json({ deliveries: rows, next: rows.length === query.limit && last ? last.id : null });
  });
  return router;
}
