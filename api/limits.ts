import express, { type RequestHandler } from 'express';
import { authenticatedKeyId } from './auth';
import { ApiError } from './errors';

/** Segment's own limits, which its libraries already respect (SPEC §2: 32 KB per event). */
export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
/** Management bodies: 10,000 entries with a few traits each fit comfortably. */
export const MAX_MANAGEMENT_BODY = '2mb';

/** Paths whose bodies are Segment calls; their body limit is the batch limit. */
export const INGESTION_PATHS = [
  '/v1/identify',
  '/v1/track',
  '/v1/batch',
  '/v1/page',
  '/v1/screen',
  '/v1/group',
  '/v1/alias',
  '/v1/import',
];

/**
 * JSON body parsing with a limit per kind of route: ingestion bodies up to 500 KB (also sent as
 * text/plain by browsers avoiding a CORS preflight), management bodies up to 2 MB. A larger body
 * is refused with 413 before it is read in full.
 */
export function jsonBodies(): RequestHandler {
  const ingestion = express.json({ limit: MAX_BATCH_BYTES, type: ['application/json', 'text/plain'] });
  const management = express.json({ limit: MAX_MANAGEMENT_BODY });
  const ingestionPaths = new Set(INGESTION_PATHS);
  return (req, res, next) =>
    (ingestionPaths.has(req.path.replace(/\/+$/, '')) ? ingestion : management)(req, res, next);
}

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** Throws 413 `event_too_large` for an event over 32 KB; `where` names it, e.g. `batch[3]`. */
export function assertEventSize(event: unknown, where = 'event'): void {
  const bytes = jsonBytes(event);
  if (bytes > MAX_EVENT_BYTES) {
    throw new ApiError(
      413,
      'event_too_large',
      `${where} is ${bytes} bytes; an event may be at most ${MAX_EVENT_BYTES} bytes (32 KB)`,
      [{ path: where, code: 'too_big', message: `${bytes} > ${MAX_EVENT_BYTES} bytes` }],
    );
  }
}

/**
 * Per-key token bucket (`perSecond` tokens a second, bursts up to `burst`); over it: 429 with
 * `Retry-After` (whole seconds, as HTTP wants). Keys come from `requireWriteKey` / `requireApiKey`,
 * so it must run after them. Counted per process: N API replicas allow N times the rate.
 */
export function rateLimitPerKey(options: {
  perSecond: number;
  burst?: number;
  now?: () => number;
}): RequestHandler {
  const { perSecond } = options;
  const burst = options.burst ?? Math.max(1, perSecond * 2);
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (req, res, next) => {
    if (perSecond <= 0) return next();
    const key = authenticatedKeyId(res) ?? `ip:${req.ip ?? 'unknown'}`;
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: burst, at: t };
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
    bucket.at = t;
    if (buckets.size > 10_000) buckets.clear(); // bounded memory; a reset only ever lets more through
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return next();
    }
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
    res.set('Retry-After', String(retryAfter));
    next(
      new ApiError(
        429,
        'rate_limited',
        `too many requests for this key: at most ${perSecond} a second; retry after ${retryAfter} s`,
      ),
    );
  };
}

/** A request still unanswered after `ms` gets 503 `timeout` (the client may retry; Retry-After says when). */
export function requestTimeout(ms: number): RequestHandler {
  return (_req, res, next) => {
    if (ms <= 0) return next();
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.set('Retry-After', '1');
      res
        .status(503)
        .json({ error: { code: 'timeout', message: `the request took longer than ${ms} ms`, issues: [] } });
    }, ms);
    timer.unref();
    const clear = (): void => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}

/**
 * 413 for any single event over 32 KB on the ingestion paths: the whole body of identify / track,
 * each item of a batch. Runs after body parsing and before the ingestion router, so that router
 * needs no size logic of its own.
 */
export function limitIngestionEvents(): RequestHandler {
  const ingestionPaths = new Set(INGESTION_PATHS);
  return (req, _res, next) => {
    const path = req.path.replace(/\/+$/, '');
    if (req.method !== 'POST' || !ingestionPaths.has(path)) return next();
    const body: unknown = req.body;
    const batch = (body as { batch?: unknown } | undefined)?.batch;
    if (path === '/v1/batch' || path === '/v1/import') {
      if (Array.isArray(batch)) batch.forEach((event, i) => assertEventSize(event, `batch[${i}]`));
    } else {
      assertEventSize(body, 'body');
    }
    next();
  };
}
