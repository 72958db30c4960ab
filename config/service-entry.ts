import { migrate } from '../db/migrate';

/**
 * The life of a production process (API or worker): check its environment, migrate, start, and on
 * SIGINT / SIGTERM stop cleanly (a second signal exits at once). Shared so both behave the same.
 */
export interface ServiceEntry {
  name: string;
  required: readonly string[];
  /** Also required when NODE_ENV=production (keys every replica must share). */
  requiredInProduction: readonly string[];
  start(databaseUrl: string): Promise<{ stop(): Promise<void> }>;
}

class MissingEnvError extends Error {}

function checkEnv(entry: ServiceEntry, env: NodeJS.ProcessEnv): void {
  const names = env.NODE_ENV === 'production' ? [...entry.required, ...entry.requiredInProduction] : entry.required;
  const missing = names.filter((name) => (env[name] ?? '') === '');
  if (missing.length > 0) {
    throw new MissingEnvError(
      `sojourn ${entry.name}: missing required environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. ` +
        'Set them (see docker-compose.yml), or run `npm start` for the embedded dev stack.',
    );
  }
}

async function run(entry: ServiceEntry): Promise<void> {
  checkEnv(entry, process.env);
  const started: { service?: { stop(): Promise<void> } } = {}; // set once started
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.error(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    const { service } = started;
    if (service === undefined) process.exit(0); // still starting: nothing to drain
    console.log(`${signal}: stopping the ${entry.name} ...`);
    service.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`stopping the ${entry.name} failed:`, err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const databaseUrl = process.env.DATABASE_URL as string; // checked above
  const applied = await migrate(databaseUrl);
  if (applied.length > 0) console.log(`applied migrations: ${applied.join(', ')}`);
  started.service = await entry.start(databaseUrl);
}

export function runService(entry: ServiceEntry): void {
  run(entry).catch((err: unknown) => {
    if (err instanceof MissingEnvError) console.error(err.message);
    else console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}
