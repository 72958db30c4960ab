import type { Express, Request, RequestHandler, Response } from 'express';
import type { KeyKind } from '../db/api-keys';
import { sameKey, type KeyVerifier } from '../security/api-keys';
import { ApiError } from './errors';

/**
 * Two kinds of credentials (SPEC §4): management API keys as `Authorization: Bearer <key>`, and
 * Segment write keys as the HTTP Basic user name (what analytics-node sends). Each kind is accepted
 * from the environment (`SOJOURN_API_KEY` / `SOJOURN_WRITE_KEY`, the bootstrap keys) or from the
 * keys stored in PostgreSQL (`POST /v1/keys`, `scripts/keys.ts`), which `createApp` makes available
 * through `app.locals` so that routers built elsewhere get them without new parameters.
 */
const KEYS_LOCAL = 'sojournKeys';
const KEY_ID_LOCAL = 'sojournKeyId';
const INGEST_LIMITER_LOCAL = 'sojournIngestLimiter';

/** The id under which the env (bootstrap) key is reported, e.g. to per-key rate limits. */
export const ENV_KEY_ID = 'env';

export function provideKeyVerifier(app: Express, verifier: KeyVerifier): void {
  app.locals[KEYS_LOCAL] = verifier;
}

/** Per-write-key rate limit applied by `requireWriteKey` right after it identifies the key. */
export function provideIngestLimiter(app: Express, limiter: RequestHandler): void {
  app.locals[INGEST_LIMITER_LOCAL] = limiter;
}

function localOf<T>(req: Request, name: string): T | undefined {
  return (req.app?.locals as Record<string, unknown> | undefined)?.[name] as T | undefined;
}

function verifierOf(req: Request): KeyVerifier | undefined {
  return localOf<KeyVerifier>(req, KEYS_LOCAL);
}

/** The id of the key that authenticated this request (`env` for a bootstrap key). */
export function authenticatedKeyId(res: Response): string | undefined {
  return res.locals[KEY_ID_LOCAL] as string | undefined;
}

/** Constant-time comparison of equal-length digests, so timing reveals nothing about the key. */
export function keyMatches(candidate: string, expected: string): boolean {
  return sameKey(candidate, expected);
}

async function identify(
  req: Request,
  kind: KeyKind,
  candidate: string,
  envKey: string,
): Promise<string | undefined> {
  if (envKey !== '' && keyMatches(candidate, envKey)) return ENV_KEY_ID;
  return verifierOf(req)?.verify(kind, candidate);
}

export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

/** Checks a management key (env or stored) without answering: for routes with other ways in (codec). */
export async function isManagementKey(req: Request, apiKey: string, candidate: string): Promise<boolean> {
  return (await identify(req, 'management', candidate, apiKey)) !== undefined;
}

/** Management calls: `Authorization: Bearer <api key>`. */
export function requireApiKey(apiKey: string): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req);
    if (!token)
      return next(new ApiError(401, 'unauthorized', 'missing API key: send Authorization: Bearer <key>'));
    const id = await identify(req, 'management', token, apiKey);
    if (!id) return next(new ApiError(401, 'unauthorized', 'invalid API key'));
    res.locals[KEY_ID_LOCAL] = id;
    next();
  };
}

function basicUser(req: Request): string | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const user = decoded.split(':')[0];
  return user === '' ? undefined : user;
}

/**
 * Ingestion calls: the Segment write key as the HTTP Basic user name (what analytics-node sends).
 * Also applies the per-key ingestion rate limit (429 with Retry-After) that `createApp` provides.
 */
export function requireWriteKey(writeKey: string): RequestHandler {
  return async (req, res, next) => {
    const user = basicUser(req);
    if (!user)
      return next(
        new ApiError(401, 'unauthorized', 'missing write key: send it as the HTTP Basic user name'),
      );
    const id = await identify(req, 'write', user, writeKey);
    if (!id) return next(new ApiError(401, 'unauthorized', 'invalid write key'));
    res.locals[KEY_ID_LOCAL] = id;
    const limiter = localOf<RequestHandler>(req, INGEST_LIMITER_LOCAL);
    if (limiter) return limiter(req, res, next);
    next();
  };
}
