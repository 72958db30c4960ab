import path from 'node:path';

/**
 * Every setting Sojourn reads from the environment, each with a working default (SPEC §1).
 * Read once per process; tests build their own with `loadConfig({...})`.
 */
export interface SojournConfig {
  port: number;
  /** Interface the API listens on: loopback in dev, 0.0.0.0 in containers. */
  host: string;
  /** Unset: the dev stack starts `temporal server start-dev`. */
  temporalAddress: string | undefined;
  temporalPort: number;
  temporalUiPort: number;
  temporalNamespace: string;
  /** Unset: embedded PostgreSQL under `<dataDir>/pg`. */
  databaseUrl: string | undefined;
  dataDir: string;
  apiKey: string | undefined;
  writeKey: string | undefined;
  /** Key for destination secrets at rest; unset: a random one kept in `<dataDir>/secret.key`. */
  secretKey: string | undefined;
  spaceId: string;
  allowedNetworks: string[];
  taskQueue: string;
  /** Delivery retry window (SPEC §5: 4 hours by default). */
  deliveryRetryWindowMs: number;
  /** First retry delay; doubles with jitter up to `deliveryMaxBackoffMs`. */
  deliveryInitialBackoffMs: number;
  deliveryMaxBackoffMs: number;
}

type Env = Record<string, string | undefined>;

function intFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function loadConfig(env: Env = process.env): SojournConfig {
  const isProduction = env.NODE_ENV === 'production';
  const allowed = env.SOJOURN_ALLOWED_NETWORKS ?? (isProduction ? '' : '127.0.0.0/8,::1/128');
  return {
    port: intFrom(env, 'PORT', 3000),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    temporalAddress: nonEmpty(env.TEMPORAL_ADDRESS),
    temporalPort: intFrom(env, 'TEMPORAL_PORT', 7233),
    temporalUiPort: intFrom(env, 'TEMPORAL_UI_PORT', 8233),
    temporalNamespace: nonEmpty(env.TEMPORAL_NAMESPACE) ?? 'default',
    databaseUrl: nonEmpty(env.DATABASE_URL),
    dataDir: path.resolve(nonEmpty(env.SOJOURN_DATA_DIR) ?? '.data'),
    apiKey: nonEmpty(env.SOJOURN_API_KEY),
    writeKey: nonEmpty(env.SOJOURN_WRITE_KEY),
    secretKey: nonEmpty(env.SOJOURN_SECRET_KEY),
    spaceId: nonEmpty(env.SOJOURN_SPACE_ID) ?? 'spa_default',
    allowedNetworks: allowed
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    taskQueue: nonEmpty(env.SOJOURN_TASK_QUEUE) ?? 'sojourn',
    deliveryRetryWindowMs: intFrom(env, 'SOJOURN_DELIVERY_RETRY_WINDOW_MS', 4 * 60 * 60 * 1000),
    deliveryInitialBackoffMs: intFrom(env, 'SOJOURN_DELIVERY_INITIAL_BACKOFF_MS', 1000),
    deliveryMaxBackoffMs: intFrom(env, 'SOJOURN_DELIVERY_MAX_BACKOFF_MS', 10 * 60 * 1000),
  };
}
