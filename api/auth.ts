import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time comparison of equal-length digests, so timing reveals nothing about the key. */
export function keyMatches(candidate: string, expected: string): boolean {
  return timingSafeEqual(digest(candidate), digest(expected));
}

/** Management calls: `Authorization: Bearer <api key>`. */
export function requireApiKey(apiKey: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1]) return next(new ApiError(401, 'unauthorized', 'missing API key: send Authorization: Bearer <key>'));
    if (!keyMatches(match[1].trim(), apiKey)) return next(new ApiError(401, 'unauthorized', 'invalid API key'));
    next();
  };
}

/** Ingestion calls: the Segment write key as the HTTP Basic user name (what analytics-node sends). */
export function requireWriteKey(writeKey: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Basic\s+(.+)$/i.exec(header);
    const user = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8').split(':')[0] : undefined;
    if (!user) return next(new ApiError(401, 'unauthorized', 'missing write key: send it as the HTTP Basic user name'));
    if (!keyMatches(user, writeKey)) return next(new ApiError(401, 'unauthorized', 'invalid write key'));
    next();
  };
}
