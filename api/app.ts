import express, { type Express } from 'express';
import { KeyStore } from '../security/api-keys';
import { provideIngestLimiter, provideKeyVerifier, requireApiKey } from './auth';
import type { ApiDeps } from './deps';
import { errorHandler, unknownRoute } from './errors';
import { rejectUnstorableInput } from './input-guard';
import { jsonBodies, limitIngestionEvents, MAX_MANAGEMENT_BODY, rateLimitPerKey, requestTimeout } from './limits';
import { docsRouter } from './openapi/routes';
import { catalogRouter } from './routes/catalog';
import { codecRouter } from './routes/codec';
import { deliveriesRouter } from './routes/deliveries';
import { destinationsRouter } from './routes/destinations';
import { healthRouter } from './routes/health';
import { ingestRouter } from './routes/ingest';
import { journeysRouter } from './routes/journeys';
import { keysRouter } from './routes/keys';
import { profilesRouter } from './routes/profiles';
import { runsRouter } from './routes/runs';
import { testEventRouter } from './routes/test-event';
import { traitsRouter } from './routes/traits';

export const MAX_BODY = MAX_MANAGEMENT_BODY;

export function createApp(deps: ApiDeps, log: (message: string, error: unknown) => void = console.error): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter());
  app.use(docsRouter()); // /openapi.json and /docs: public, like the health checks
  // Stored keys next to the env ones, and the ingestion rate limit: read by requireApiKey / requireWriteKey.
  const keys = deps.keys ?? new KeyStore(deps.db);
  provideKeyVerifier(app, keys);
  provideIngestLimiter(app, rateLimitPerKey({ perSecond: deps.config.ingestRateLimit }));
  app.use(requestTimeout(deps.config.requestTimeoutMs));
  app.use(jsonBodies()); // 500 KB for ingestion, MAX_BODY for the rest
  app.use(limitIngestionEvents()); // 32 KB per event
  app.use(rejectUnstorableInput()); // NUL characters, absurd nesting: 400 before any handler
  if (deps.codec && deps.codecToken) {
    app.use('/codec', codecRouter({ codec: deps.codec, apiKey: deps.apiKey, codecToken: deps.codecToken, corsOrigins: deps.config.codecCorsOrigins }));
  }

  // Ingestion answers to the write key, so it is mounted before the API-key wall.
  app.use('/v1', ingestRouter(deps));

  const management = express.Router();
  management.use(requireApiKey(deps.apiKey));
  management.use(catalogRouter());
  management.use(destinationsRouter(deps));
  management.use(testEventRouter(deps));
  management.use(journeysRouter(deps));
  management.use(runsRouter(deps));
  management.use(deliveriesRouter(deps));
  management.use(profilesRouter(deps));
  management.use(traitsRouter(deps));
  management.use(keysRouter(keys));
  app.use('/v1', management);

  app.use(unknownRoute);
  app.use(errorHandler(log));
  return app;
}
