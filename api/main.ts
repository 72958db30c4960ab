/**
 * Production entry of an API process (docker-compose `sojourn-api`; stateless, so it may run behind
 * any load balancer). Unlike `npm start` it starts no embedded servers and generates no keys: Temporal,
 * PostgreSQL and the API / write keys come from the environment.
 */
import { loadConfig } from '../config/env';
import { runService } from '../config/service-entry';
import { startApiServer } from './server';

/** Variables this process cannot start without (test/unit/docker-compose.test.ts checks the compose file sets them). */
const REQUIRED_ENV = ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'SOJOURN_API_KEY', 'SOJOURN_WRITE_KEY'] as const;
/** Without them each instance would invent its own keys (destination secrets, payload codec) and read nobody else's data. */
const REQUIRED_ENV_IN_PRODUCTION = ['SOJOURN_SECRET_KEY', 'SOJOURN_CODEC_KEY'] as const;

runService({
  name: 'api',
  required: REQUIRED_ENV,
  requiredInProduction: REQUIRED_ENV_IN_PRODUCTION,
  async start(databaseUrl) {
    const config = loadConfig();
    const temporalAddress = config.temporalAddress as string; // required above
    const running = await startApiServer({
      ...config,
      temporalAddress,
      databaseUrl,
      apiKey: config.apiKey as string,
      writeKey: config.writeKey as string,
    });
    const where = config.host === '0.0.0.0' ? ' (all interfaces)' : '';
    console.log(`Sojourn API listening on ${running.url}${where}; Temporal ${temporalAddress} (namespace ${config.temporalNamespace})`);
    return running;
  },
});
