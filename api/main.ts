/**
 * Production entry of an API process (docker-compose `sojourn-api`; stateless, so it may run behind
 * any load balancer). Unlike `npm start` it starts no embedded servers and generates no keys: Temporal,
 * PostgreSQL and the API / write keys come from the environment. Runs the database migrations (safe
 * from many processes at once), serves until SIGINT / SIGTERM, then closes cleanly.
 */
import { loadConfig } from '../config/env';
import { migrate } from '../db/migrate';
import { startApiServer } from './server';

/** Variables this process cannot start without (test/unit/docker-compose.test.ts checks the compose file sets them). */
const REQUIRED_ENV = ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'SOJOURN_API_KEY', 'SOJOURN_WRITE_KEY'] as const;
/** Without them each instance would invent its own keys (destination secrets, payload codec) and read nobody else's data. */
const REQUIRED_ENV_IN_PRODUCTION = ['SOJOURN_SECRET_KEY', 'SOJOURN_CODEC_KEY'] as const;

class MissingEnvError extends Error {}

function checkEnv(env: NodeJS.ProcessEnv): void {
  const names: readonly string[] =
    env.NODE_ENV === 'production' ? [...REQUIRED_ENV, ...REQUIRED_ENV_IN_PRODUCTION] : REQUIRED_ENV;
  const missing = names.filter((name) => (env[name] ?? '') === '');
  if (missing.length > 0) {
    throw new MissingEnvError(
      `sojourn api: missing required environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. ` +
        'Set them (see docker-compose.yml), or run `npm start` for the embedded dev stack.',
    );
  }
}

async function main(): Promise<void> {
  checkEnv(process.env);
  const config = loadConfig();
  // All checked above.
  const temporalAddress = config.temporalAddress as string;
  const databaseUrl = config.databaseUrl as string;
  const apiKey = config.apiKey as string;
  const writeKey = config.writeKey as string;

  let api: { stop(): Promise<void> } | undefined = undefined; // set once started
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.error(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    if (api === undefined) process.exit(0); // still starting: nothing to close
    console.log(`${signal}: closing the API ...`);
    api.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('stopping the API failed:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const applied = await migrate(databaseUrl);
  if (applied.length > 0) console.log(`applied migrations: ${applied.join(', ')}`);
  const running = await startApiServer({ ...config, temporalAddress, databaseUrl, apiKey, writeKey });
  api = running;
  const where = config.host === '0.0.0.0' ? ' (all interfaces)' : '';
  console.log(
    `Sojourn API listening on ${running.url}${where}; Temporal ${temporalAddress} (namespace ${config.temporalNamespace})`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof MissingEnvError) console.error(err.message);
  else console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
