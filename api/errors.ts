import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';

/** An error the client caused or should know about; becomes `{error: {code, message, issues}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: unknown[] = [],
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string): ApiError => new ApiError(404, 'not_found', `${what} "${id}" not found`);

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

export function fromZod(error: z.ZodError, where = 'body'): ApiError {
  const issues = error.issues.map((issue) => ({ path: formatPath(issue.path), code: issue.code, message: issue.message }));
  const first = issues[0];
  const message = first ? `invalid ${where}: ${first.path || where}: ${first.message}` : `invalid ${where}`;
  return new ApiError(400, 'invalid_request', message, issues);
}

/** Parses or throws a 400 with every issue listed. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZod(result.error, where);
  return result.data;
}

export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

export function errorHandler(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    // Already answered (e.g. by the request timeout) while the handler went on: nothing left to send.
    if (res.headersSent) return;
    let apiError: ApiError;
    const parserError = error as BodyParserError;
    if (error instanceof ApiError) apiError = error;
    else if (error instanceof z.ZodError) apiError = fromZod(error);
    else if (parserError?.type === 'entity.parse.failed') apiError = new ApiError(400, 'invalid_json', 'request body is not valid JSON');
    else if (parserError?.type === 'entity.too.large') apiError = new ApiError(413, 'payload_too_large', 'request body is too large');
    else if (parserError?.type && parserError.status && parserError.status < 500) {
      apiError = new ApiError(parserError.status, 'bad_request', parserError.message ?? 'bad request');
    } else if (error instanceof URIError && parserError.status === 400) {
      // The router could not percent-decode a path parameter (e.g. "/v1/journeys/%E0%A4%A"): the client's mistake.
      apiError = new ApiError(400, 'bad_request', 'the request path is not valid percent-encoding');
    } else {
      log(`unhandled error on ${req.method} ${req.path}`, error);
      apiError = new ApiError(500, 'internal', 'internal error');
    }
    res.status(apiError.status).json({ error: { code: apiError.code, message: apiError.message, issues: apiError.issues } });
  };
}
