import type { RequestHandler } from 'express';
import { ApiError } from './errors';

const NUL_IN_URL = /%00/i;
const MAX_DEPTH = 64;

/** Where in a parsed body a NUL character or a too-deep nesting is, or undefined. */
function findProblem(
  node: unknown,
  path: string,
  depth: number,
): { path: string; message: string } | undefined {
  if (depth > MAX_DEPTH) return { path, message: `nested deeper than ${MAX_DEPTH} levels` };
  if (typeof node === 'string')
    return node.includes('\u0000') ? { path, message: 'contains a NUL character' } : undefined;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const problem = findProblem(node[i], `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return { path: at, message: 'a key contains a NUL character' };
      const problem = findProblem(value, at, depth + 1);
      if (problem) return problem;
    }
  }
  return undefined;
}

/**
 * PostgreSQL stores no NUL character in text or jsonb, and nothing Sojourn keeps needs one; deeply
 * nested JSON only serves to exhaust stacks. Both are refused up front with a 400, rather than
 * failing half-way through a handler.
 */
export function rejectUnstorableInput(): RequestHandler {
  return (req, _res, next) => {
    if (NUL_IN_URL.test(req.originalUrl)) {
      return next(new ApiError(400, 'invalid_characters', 'the URL contains a NUL character (%00)'));
    }
    const problem = findProblem(req.body, '', 0);
    if (problem) {
      return next(
        new ApiError(
          400,
          'invalid_characters',
          `body${problem.path ? `.${problem.path}` : ''} ${problem.message}`,
          [{ path: problem.path, code: 'invalid_characters', message: problem.message }],
        ),
      );
    }
    next();
  };
}
