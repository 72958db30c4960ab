/**
 * Decides whether a failed delivery is worth retrying (SPEC §5): 408, 423, 429 and 5xx but 501, and
 * network errors, are; other 4xx and payload validation errors are not.
 */
export interface FailureVerdict {
  retryable: boolean;
  httpStatus?: number;
  /** From a `Retry-After` header, when the destination sent one. */
  retryAfterMs?: number;
  code: string;
  message: string;
}

const RETRYABLE_STATUSES = new Set([408, 423, 429]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status) || (status >= 500 && status !== 501);
}

/** `Retry-After` is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Only an HTTP-date (IMF-fixdate and its obsolete forms all name a weekday or GMT) counts; Date.parse
  // alone would accept "-1" or free text and turn garbage into "retry now".
  if (!/GMT$|^[A-Za-z]{3},? /.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  status?: number;
  response?: { status?: number; headers?: { get(name: string): string | null } };
  /** Set by destinations/request-gate.ts when the shared request schedule is full. */
  retryAfterMs?: number;
  cause?: { code?: string; message?: string };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export function classifyError(error: unknown): FailureVerdict {
  const err = (error ?? {}) as ErrorLike;
  const message = err.message ?? String(error);
  const name = err.name ?? 'Error';
  const httpStatus = err.response?.status ?? err.status;

  if (name === 'HTTPError' && httpStatus !== undefined) {
    return {
      retryable: isRetryableStatus(httpStatus),
      httpStatus,
      retryAfterMs: parseRetryAfter(err.response?.headers?.get('retry-after')),
      code: `HTTP_${httpStatus}`,
      message,
    };
  }
  if (name === 'RateLimitedError') {
    return { retryable: true, code: 'RATE_LIMITED', message, ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}) };
  }
  if (name === 'AggregateAjvError' || name === 'ValidationError' || name === 'PayloadValidationError') {
    return { retryable: false, httpStatus: 400, code: 'PAYLOAD_VALIDATION_FAILED', message };
  }
  if (name === 'RetryableError' || name === 'TimeoutError' || name === 'RequestTimeoutError') {
    return { retryable: true, httpStatus, code: err.code ?? 'RETRYABLE', message };
  }
  const causeCode = err.cause?.code ?? err.code;
  // The SSRF guard (security/egress) refused the address: retrying cannot help, and must not hammer it.
  if (causeCode === 'EGRESS_REFUSED') return { retryable: false, code: 'EGRESS_REFUSED', message };
  if ((name === 'TypeError' && message === 'fetch failed') || (causeCode && NETWORK_CODES.has(causeCode))) {
    return { retryable: true, code: causeCode ?? 'NETWORK_ERROR', message: err.cause?.message ?? message };
  }
  if (httpStatus !== undefined) {
    return { retryable: isRetryableStatus(httpStatus), httpStatus, code: err.code ?? `HTTP_${httpStatus}`, message };
  }
  // An error we cannot read is retried: losing a delivery is worse than retrying one.
  return { retryable: true, code: err.code ?? name, message };
}
