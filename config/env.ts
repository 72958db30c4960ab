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
  /** Key for destination secrets at rest (`key` or `id:key`); unset: a random one kept in `<dataDir>/secret.key`. */
  secretKey: string | undefined;
  /** Earlier secret keys, `id:key,…`, still accepted for decryption while data is re-sealed (rotation). */
  oldSecretKeys: string | undefined;
  /** Key of the Temporal payload codec (`key` or `id:key`); unset: a random one kept in `<dataDir>/codec.key`. */
  codecKey: string | undefined;
  /** Earlier codec keys, `id:key,…`: histories written with them stay readable. */
  oldCodecKeys: string | undefined;
  /** Capability token the Temporal UI puts in its codec endpoint path; unset: derived from the codec key. */
  codecToken: string | undefined;
  /** Browser origins (the Temporal UI's) allowed to call `/codec` cross-origin. */
  codecCorsOrigins: string[];
  /** Ingestion requests per second per write key (token bucket; bursts up to twice this). 0 disables. */
  ingestRateLimit: number;
  /** A request not answered in this time gets 503 `timeout`. */
  requestTimeoutMs: number;
  spaceId: string;
  allowedNetworks: string[];
  taskQueue: string;
  /** Delivery retry window (SPEC §5: 4 hours by default). */
  deliveryRetryWindowMs: number;
  /** One delivery attempt's time limit; a crashed worker's attempts are retried after it. */
  deliveryAttemptTimeoutMs: number;
  /** First retry delay; doubles with jitter up to `deliveryMaxBackoffMs`. */
  deliveryInitialBackoffMs: number;
  deliveryMaxBackoffMs: number;
  /** Members per list batch when the destination's mapping sets no `batch_size`. */
  listBatchSize: number;
  /** A list batch that is not full is sent once no member has arrived for this long (the list went quiet)… */
  listFlushIntervalMs: number;
  /** …or once its oldest member has waited this long, however steadily members keep arriving. */
  listMaxWaitMs: number;
  /** Deliveries-log rows and settled list members are deleted after this many days (0: kept forever). */
  retentionDays: number;
  /** Requests per second to destinations Segment publishes no limit for (0: unlimited). */
  defaultRateLimit: number;
  /**
   * Multiplies every journey duration (delays, holds, exit times, re-entry windows). 1 in production;
   * tests use a small factor so "3d" passes in seconds on a real Temporal server.
   */
  timeScale: number;
  /** Journey runs continue as new past this many history events, so no history grows without bound. */
  maxHistoryEvents: number;
}

type Env = Record<string, string | undefined>;

function numberFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function listFrom(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function loadConfig(env: Env = process.env): SojournConfig {
  const isProduction = env.NODE_ENV === 'production';
  const allowed = env.SOJOURN_ALLOWED_NETWORKS ?? (isProduction ? '' : '127.0.0.0/8,::1/128');
  return {
    port: numberFrom(env, 'PORT', 3000),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    temporalAddress: nonEmpty(env.TEMPORAL_ADDRESS),
    temporalPort: numberFrom(env, 'TEMPORAL_PORT', 7233),
    temporalUiPort: numberFrom(env, 'TEMPORAL_UI_PORT', 8233),
    temporalNamespace: nonEmpty(env.TEMPORAL_NAMESPACE) ?? 'default',
    databaseUrl: nonEmpty(env.DATABASE_URL),
    dataDir: path.resolve(nonEmpty(env.SOJOURN_DATA_DIR) ?? '.data'),
    apiKey: nonEmpty(env.SOJOURN_API_KEY),
    writeKey: nonEmpty(env.SOJOURN_WRITE_KEY),
    secretKey: nonEmpty(env.SOJOURN_SECRET_KEY),
    oldSecretKeys: nonEmpty(env.SOJOURN_OLD_SECRET_KEYS),
    codecKey: nonEmpty(env.SOJOURN_CODEC_KEY),
    oldCodecKeys: nonEmpty(env.SOJOURN_OLD_CODEC_KEYS),
    codecToken: nonEmpty(env.SOJOURN_CODEC_TOKEN),
    codecCorsOrigins: listFrom(
      env.SOJOURN_CODEC_CORS_ORIGINS ??
        ['localhost', '127.0.0.1']
          .map((h) => `http://${h}:${numberFrom(env, 'TEMPORAL_UI_PORT', 8233)}`)
          .join(','),
    ),
    ingestRateLimit: numberFrom(env, 'SOJOURN_INGEST_RATE_LIMIT', 1000),
    requestTimeoutMs: numberFrom(env, 'SOJOURN_REQUEST_TIMEOUT_MS', 60_000),
    spaceId: nonEmpty(env.SOJOURN_SPACE_ID) ?? 'spa_default',
    allowedNetworks: listFrom(allowed),
    taskQueue: nonEmpty(env.SOJOURN_TASK_QUEUE) ?? 'sojourn',
    deliveryRetryWindowMs: numberFrom(env, 'SOJOURN_DELIVERY_RETRY_WINDOW_MS', 4 * 60 * 60 * 1000),
    deliveryAttemptTimeoutMs: numberFrom(env, 'SOJOURN_DELIVERY_ATTEMPT_TIMEOUT_MS', 60 * 1000),
    deliveryInitialBackoffMs: numberFrom(env, 'SOJOURN_DELIVERY_INITIAL_BACKOFF_MS', 1000),
    deliveryMaxBackoffMs: numberFrom(env, 'SOJOURN_DELIVERY_MAX_BACKOFF_MS', 10 * 60 * 1000),
    listBatchSize: numberFrom(env, 'SOJOURN_LIST_BATCH_SIZE', 1000),
    listFlushIntervalMs: numberFrom(env, 'SOJOURN_LIST_FLUSH_INTERVAL_MS', 2000),
    listMaxWaitMs: numberFrom(env, 'SOJOURN_LIST_MAX_WAIT_MS', 120_000),
    defaultRateLimit: numberFrom(env, 'SOJOURN_DEFAULT_RATE_LIMIT', 50),
    retentionDays: numberFrom(env, 'SOJOURN_RETENTION_DAYS', 30),
    timeScale: numberFrom(env, 'SOJOURN_TIME_SCALE', 1),
    maxHistoryEvents: numberFrom(env, 'SOJOURN_MAX_HISTORY_EVENTS', 10_000),
  };
}
