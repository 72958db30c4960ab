import type { Payload, PayloadCodec } from '@temporalio/common';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { sameKey } from '../../security/api-keys';
import { bearerToken, isManagementKey } from '../auth';
import { ApiError, parseWith } from '../errors';

/**
 * Temporal's remote codec protocol, so the Web UI (and `temporal --codec-endpoint`) can show
 * payloads decoded: `POST <endpoint>/decode` and `/encode` take and return `{payloads: [...]}` with
 * proto3-JSON payloads (metadata values and data in base64).
 *
 * Auth, either of:
 * - `Authorization: Bearer <management key>` (CLI tools: `temporal workflow show --codec-endpoint …
 *   --codec-auth "Bearer …"`);
 * - the codec token in the path, `/codec/t/<token>/decode`. The Temporal UI cannot send our key: it
 *   sends no custom headers, and its "pass access token" option sends its own OIDC token and only to
 *   https endpoints. So the UI is configured with an endpoint URL that carries a token which grants
 *   decode/encode and nothing else. Whoever can read the UI's settings can read that URL: the same
 *   people who are meant to see decoded payloads there.
 *
 * CORS: the UI calls this from its own origin, so only the configured UI origins are answered with
 * CORS headers (credentials allowed, for deployments that turn on the UI's "include credentials").
 */
const PayloadJson = z.object({
  metadata: z
    .record(
      z.string().max(200),
      z
        .string()
        .max(10_000)
        .regex(/^[A-Za-z0-9+/=_-]*$/, 'must be base64'),
    )
    .refine((m) => Object.keys(m).length <= 50, 'at most 50 metadata entries')
    .optional(),
  data: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]*$/, 'must be base64')
    .optional(),
});
export const CodecBodySchema = z.object({ payloads: z.array(PayloadJson).max(10_000) });

type PayloadJsonT = z.infer<typeof PayloadJson>;

function fromJson(p: PayloadJsonT): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(p.metadata ?? {}))
    metadata[key] = Buffer.from(String(value), 'base64');
  return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
}

function toJson(p: Payload): PayloadJsonT {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(p.metadata ?? {}))
    metadata[key] = Buffer.from(value).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') };
}

const ALLOWED_HEADERS = 'authorization, authorization-extras, content-type, x-namespace';

function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && allowed.has(origin)) {
      res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' });
      if (req.get('access-control-request-private-network') === 'true')
        res.set('Access-Control-Allow-Private-Network', 'true');
    }
    res.vary('Origin');
    next();
  };
}

const preflight: RequestHandler = (req, res, next) => {
  if (!res.get('Access-Control-Allow-Origin')) {
    return next(
      new ApiError(
        403,
        'origin_not_allowed',
        `origin ${req.get('origin') ?? '(none)'} may not call the codec endpoint (SOJOURN_CODEC_CORS_ORIGINS)`,
      ),
    );
  }
  res.set({
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  });
  res.status(204).end();
};

export interface CodecRouteDeps {
  codec: PayloadCodec;
  apiKey: string;
  codecToken: string;
  corsOrigins: readonly string[];
}

export function codecRouter(deps: CodecRouteDeps): Router {
  const router = Router();
  router.use(cors(deps.corsOrigins));

  const byKey: RequestHandler = async (req, _res, next) => {
    const token = bearerToken(req);
    if (!token)
      return next(
        new ApiError(
          401,
          'unauthorized',
          'missing credentials: send Authorization: Bearer <API key>, or use the /codec/t/<codec token> endpoint',
        ),
      );
    if (!(await isManagementKey(req, deps.apiKey, token)))
      return next(new ApiError(401, 'unauthorized', 'invalid API key'));
    next();
  };
  const byToken: RequestHandler = (req, _res, next) => {
    const token = String(req.params.token ?? '');
    if (!sameKey(token, deps.codecToken))
      return next(new ApiError(401, 'unauthorized', 'invalid codec token'));
    next();
  };
  const convert =
    (direction: 'encode' | 'decode'): RequestHandler =>
    async (req, res) => {
      const body = parseWith(CodecBodySchema, req.body);
      let out: Payload[];
      try {
        out = await deps.codec[direction](body.payloads.map(fromJson));
      } catch (error) {
        // A payload that fails to decrypt (tampered, or an unknown key id) is the caller's input.
        throw new ApiError(
          400,
          'codec_failed',
          `could not ${direction} the payloads: ${(error as Error).message}`,
        );
      }
      res.json({ payloads: out.map(toJson) });
    };

  for (const direction of ['encode', 'decode'] as const) {
    router.options(`/${direction}`, preflight);
    router.options(`/t/:token/${direction}`, preflight);
    router.post(`/${direction}`, byKey, convert(direction));
    router.post(`/t/:token/${direction}`, byToken, convert(direction));
  }
  return router;
}
