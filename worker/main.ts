/**
 * Production entry of a worker process (docker-compose `sojourn-worker`, any number of replicas).
 * Unlike `npm start` it starts no embedded servers: Temporal and PostgreSQL are given by the
 * environment. On SIGINT / SIGTERM in-flight activities are drained before it exits.
 */
import { loadConfig } from '../config/env';
import { runService } from '../config/service-entry';
import { startWorker } from './run';

/** Variables this process cannot start without (test/unit/docker-compose.test.ts checks the compose file sets them). */
const REQUIRED_ENV = ['TEMPORAL_ADDRESS', 'DATABASE_URL'] as const;
/** Without them each replica would invent its own keys (destination secrets, payload codec) and read nobody else's data. */
const REQUIRED_ENV_IN_PRODUCTION = ['SOJOURN_SECRET_KEY', 'SOJOURN_CODEC_KEY'] as const;

runService({
  name: 'worker',
  required: REQUIRED_ENV,
  requiredInProduction: REQUIRED_ENV_IN_PRODUCTION,
  async start(databaseUrl) {
    const config = loadConfig();
    const temporalAddress = config.temporalAddress as string; // required above
    const worker = await startWorker({ ...config, temporalAddress, databaseUrl });
    console.log(`Sojourn worker polling task queue "${config.taskQueue}" on ${temporalAddress} (namespace ${config.temporalNamespace})`);
    return worker;
  },
});
