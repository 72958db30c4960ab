import net from 'node:net';
import {
  HTTPError,
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError,
} from '@segment/actions-core';
import { classifyError, isRetryableStatus, parseRetryAfter } from '../../destinations/errors';

/** An HTTPError exactly as the Actions runtime's request client throws it. */
function httpError(
  status: number,
  headers: Record<string, string> = {},
  statusText = `status ${status}`,
): HTTPError {
  const response = new Response(status === 204 ? null : '{"error":"nope"}', { status, statusText, headers });
  const request = new Request('https://api.example.test/v1/track', { method: 'POST' });
  // The options only matter to the runtime's own retry logic, which classifyError does not read.
  return new HTTPError(response, request, {} as ConstructorParameters<typeof HTTPError>[2]);
}

describe('isRetryableStatus', () => {
  it.each([408, 423, 429, 500, 502, 503, 504, 507, 599])('retries %d', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 410, 413, 422, 501, 200, 301])('does not retry %d', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2015-10-21T07:28:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 7 ', now)).toBe(7_000);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
  });

  it('reads an HTTP-date, relative to now', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:29:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(0);
  });

  it('never gives a negative delay for a date in the past', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
  });

  it('uses the current time by default', () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const delay = parseRetryAfter(inAMinute);
    expect(delay).toBeGreaterThan(55_000);
    expect(delay).toBeLessThanOrEqual(60_000);
  });

  it('gives undefined when there is no usable value', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('12abc', now)).toBeUndefined();
  });

  // BUG: values that are neither delay-seconds nor an HTTP-date fall through to Date.parse(), whose
  // lenient V8 parser reads "-1" as the year -1 (and "in 2 hours" as a date in 2001), so they come
  // back as 0 ms ("retry now") instead of undefined (no usable hint: use the backoff).
  test('ignores values that are neither delay-seconds nor an HTTP-date', () => {
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('in 2 hours', now)).toBeUndefined();
  });
});

describe('classifyError', () => {
  it.each([408, 423, 429, 500, 502, 503, 504])('retries an HTTPError %d', (status) => {
    const verdict = classifyError(httpError(status));
    expect(verdict).toMatchObject({ retryable: true, httpStatus: status, code: `HTTP_${status}` });
  });

  it.each([400, 401, 403, 404, 422, 501])('records an HTTPError %d as failed', (status) => {
    const verdict = classifyError(httpError(status));
    expect(verdict).toMatchObject({ retryable: false, httpStatus: status, code: `HTTP_${status}` });
  });

  it('keeps the HTTP error message', () => {
    expect(classifyError(httpError(503, {}, 'Service Unavailable')).message).toBe('Service Unavailable');
  });

  it('honours Retry-After in seconds', () => {
    const verdict = classifyError(httpError(429, { 'Retry-After': '30' }));
    expect(verdict).toEqual({
      retryable: true,
      httpStatus: 429,
      retryAfterMs: 30_000,
      code: 'HTTP_429',
      message: 'status 429',
    });
  });

  it('honours Retry-After as an HTTP-date', () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    const verdict = classifyError(httpError(503, { 'retry-after': at }));
    expect(verdict.retryAfterMs).toBeGreaterThan(110_000);
    expect(verdict.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('has no retryAfterMs without the header', () => {
    expect(classifyError(httpError(503)).retryAfterMs).toBeUndefined();
  });

  it('reads plain objects shaped like an HTTPError', () => {
    const headers = new Headers({ 'retry-after': '5' });
    expect(
      classifyError({ name: 'HTTPError', message: 'Too Many Requests', response: { status: 429, headers } }),
    ).toEqual({
      retryable: true,
      httpStatus: 429,
      retryAfterMs: 5_000,
      code: 'HTTP_429',
      message: 'Too Many Requests',
    });
    expect(
      classifyError({ name: 'HTTPError', message: 'Not Found', response: { status: 404, headers } }),
    ).toMatchObject({
      retryable: false,
      httpStatus: 404,
    });
  });

  it('does not retry payload validation errors', () => {
    expect(classifyError(new PayloadValidationError('email is required'))).toEqual({
      retryable: false,
      httpStatus: 400,
      code: 'PAYLOAD_VALIDATION_FAILED',
      message: 'email is required',
    });
    for (const name of ['AggregateAjvError', 'ValidationError']) {
      expect(classifyError(Object.assign(new Error('bad payload'), { name }))).toMatchObject({
        retryable: false,
        code: 'PAYLOAD_VALIDATION_FAILED',
      });
    }
  });

  it('does not retry authentication errors (401)', () => {
    expect(classifyError(new InvalidAuthenticationError('bad api key'))).toMatchObject({
      retryable: false,
      httpStatus: 401,
      message: 'bad api key',
    });
  });

  it('decides integration errors by their status', () => {
    expect(classifyError(new IntegrationError('list is full', 'LIST_FULL', 400))).toEqual({
      retryable: false,
      httpStatus: 400,
      code: 'LIST_FULL',
      message: 'list is full',
    });
    expect(classifyError(new IntegrationError('upstream down', 'UPSTREAM', 503))).toMatchObject({
      retryable: true,
      httpStatus: 503,
      code: 'UPSTREAM',
    });
  });

  it('retries RetryableError and timeouts', () => {
    expect(classifyError(new RetryableError('try later'))).toMatchObject({
      retryable: true,
      code: 'RETRYABLE_ERROR',
      message: 'try later',
    });
    const timeout = Object.assign(new Error('Request timed out after 10000ms'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    });
    expect(classifyError(timeout)).toMatchObject({ retryable: true, code: 'ETIMEDOUT' });
  });

  it('retries network errors from fetch, with the cause code and message', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyError(refused)).toEqual({
      retryable: true,
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:9',
    });
    expect(classifyError(new TypeError('fetch failed'))).toEqual({
      retryable: true,
      code: 'NETWORK_ERROR',
      message: 'fetch failed',
    });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyError(reset)).toMatchObject({ retryable: true, code: 'ECONNRESET' });
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    expect(classifyError(dns)).toMatchObject({ retryable: true, code: 'ENOTFOUND' });
  });

  it('retries a real connection failure from fetch', async () => {
    // A port that was just free: nothing listens there any more.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await fetch(`http://127.0.0.1:${port}/`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined();
    expect(classifyError(error)).toMatchObject({ retryable: true, code: 'ECONNREFUSED' });
  });

  it('decides other errors with a status by that status', () => {
    expect(
      classifyError(Object.assign(new Error('aborted'), { status: 408, code: 'REQUESTCLIENTERROR' })),
    ).toEqual({
      retryable: true,
      httpStatus: 408,
      code: 'REQUESTCLIENTERROR',
      message: 'aborted',
    });
    expect(classifyError(Object.assign(new Error('forbidden'), { status: 403 }))).toEqual({
      retryable: false,
      httpStatus: 403,
      code: 'HTTP_403',
      message: 'forbidden',
    });
  });

  it('retries an error it cannot read rather than losing the delivery', () => {
    expect(classifyError(new Error('something odd'))).toEqual({
      retryable: true,
      code: 'Error',
      message: 'something odd',
    });
    expect(classifyError('a string')).toMatchObject({ retryable: true, message: 'a string' });
    expect(classifyError(undefined)).toMatchObject({ retryable: true });
  });
});
