/** What test/global-setup.ts publishes to every test file through the environment. */
export interface TestStackEnv {
  temporalAddress: string;
  databaseUrl: string;
  apiKey: string;
  writeKey: string;
  dataDir: string;
  /** Prebuilt workflow bundle (worker/bundle.ts), when that module exists. */
  workflowBundle: string | undefined;
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(`${name} is not set: run tests through jest (test/global-setup.ts)`);
  return value;
}

export function stackEnv(): TestStackEnv {
  return {
    temporalAddress: required('TEMPORAL_ADDRESS'),
    databaseUrl: required('DATABASE_URL'),
    apiKey: required('SOJOURN_API_KEY'),
    writeKey: required('SOJOURN_WRITE_KEY'),
    dataDir: required('SOJOURN_DATA_DIR'),
    workflowBundle: process.env.SOJOURN_WORKFLOW_BUNDLE || undefined,
  };
}
