import express, { type Express } from 'express';
import { requireApiKey } from './auth';
import type { ApiDeps } from './deps';
import { errorHandler, unknownRoute } from './errors';
import { catalogRouter } from './routes/catalog';
import { deliveriesRouter } from './routes/deliveries';
import { destinationsRouter } from './routes/destinations';
import { healthRouter } from './routes/health';
import { ingestRouter } from './routes/ingest';
import { journeysRouter } from './routes/journeys';
import { runsRouter } from './routes/runs';

export const MAX_BODY = '2mb';

export function createApp(deps: ApiDeps, log: (message: string, error: unknown) => void = console.error): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter());
  app.use(express.json({ limit: MAX_BODY }));

  // Ingestion answers to the write key, so it is mounted before the API-key wall.
  app.use('/v1', ingestRouter(deps));

  const management = express.Router();
  management.use(requireApiKey(deps.apiKey));
  management.use(catalogRouter());
  management.use(destinationsRouter(deps));
  management.use(journeysRouter(deps));
  management.use(runsRouter(deps));
  management.use(deliveriesRouter(deps));
  app.use('/v1', management);

  app.use(unknownRoute);
  app.use(errorHandler(log));
  return app;
}
