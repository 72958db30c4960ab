import { Router } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';

export function healthRouter(): Router {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
