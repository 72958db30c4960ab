/**
 * Production entry of a worker process (docker-compose `sojourn-worker`, any number of replicas).
 * Unlike `npm start` it starts no embedded servers: Temporal and PostgreSQL are given by the
 * environment. Runs the database migrations (safe from many processes at once), then polls the task
 * queue until SIGINT / SIGTERM, when in-flight activities are drained before exiting.
 */
import { loadConfig } from '../config/env';
import { migrate } from '../db/migrate';
import { startWorker } from './run';

/** Variables this process cannot start without (test/unit/docker-compose.test.ts checks the compose file sets them). */
const REQUIRED_ENV = ['TEMPORAL_ADDRESS', 'DATABASE_URL'] as const;
/** Without them each replica would invent its own keys (destination secrets, payload codec) and read nobody else's data. */
const REQUIRED_ENV_IN_PRODUCTION = ['SOJOURN_SECRET_KEY', 'SOJOURN_CODEC_KEY'] as const;

class MissingEnvError extends Error {}

function checkEnv(env: NodeJS.ProcessEnv): void {
  const names: readonly string[] =
    env.NODE_ENV === 'production' ? [...REQUIRED_ENV, ...REQUIRED_ENV_IN_PRODUCTION] : REQUIRED_ENV;
  const missing = names.filter((name) => (env[name] ?? '') === '');
  if (missing.length > 0) {
    throw new MissingEnvError(
      `sojourn worker: missing required environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. ` +
        'Set them (see docker-compose.yml), or run `npm start` for the embedded dev stack.',
    );
  }
}

async function main(): Promise<void> {
  checkEnv(process.env);
  const config = loadConfig();
  const temporalAddress = config.temporalAddress as string; // checked above
  const databaseUrl = config.databaseUrl as string;

  let worker: { stop(): Promise<void> } | undefined = undefined; // set once started
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.error(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    if (worker === undefined) process.exit(0); // still starting: nothing to drain
    console.log(`${signal}: draining the worker ...`);
    worker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('stopping the worker failed:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const applied = await migrate(databaseUrl);
  if (applied.length > 0) console.log(`applied migrations: ${applied.join(', ')}`);
  worker = await startWorker({ ...config, temporalAddress, databaseUrl });
  console.log(
    `Sojourn worker polling task queue "${config.taskQueue}" on ${temporalAddress} (namespace ${config.temporalNamespace})`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof MissingEnvError) console.error(err.message);
  else console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
