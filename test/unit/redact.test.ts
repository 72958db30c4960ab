import { redact, REDACTED } from '../../destinations/redact';

describe('redact', () => {
  const secrets = ['sk_live_abcdef', 's3cr3t-token'];

  it('replaces every occurrence of a secret in any string, however deep', () => {
    const record = {
      request: {
        url: 'https://api.example.test/v1?key=sk_live_abcdef&other=1',
        body: {
          token: 's3cr3t-token',
          note: 'uses sk_live_abcdef and sk_live_abcdef again',
          list: ['s3cr3t-token', 3],
        },
      },
      response: { status: 401, body: 'invalid key sk_live_abcdef' },
    };
    expect(redact(record, secrets)).toEqual({
      request: {
        url: `https://api.example.test/v1?key=${REDACTED}&other=1`,
        body: { token: REDACTED, note: `uses ${REDACTED} and ${REDACTED} again`, list: [REDACTED, 3] },
      },
      response: { status: 401, body: `invalid key ${REDACTED}` },
    });
  });

  it('masks credential headers whatever their value or case', () => {
    const headers = {
      Authorization: 'Basic dXNlcjpwYXNz',
      'proxy-authorization': 'Bearer x',
      'X-API-Key': 'abc',
      'api-key': 'abc',
      apikey: 'abc',
      'x-auth-token': 'abc',
      Cookie: 'session=1',
      'set-cookie': 'session=2',
      'content-type': 'application/json',
      'x-request-id': 'req-1',
    };
    expect(redact({ headers }, [])).toEqual({
      headers: {
        Authorization: REDACTED,
        'proxy-authorization': REDACTED,
        'X-API-Key': REDACTED,
        'api-key': REDACTED,
        apikey: REDACTED,
        'x-auth-token': REDACTED,
        Cookie: REDACTED,
        'set-cookie': REDACTED,
        'content-type': 'application/json',
        'x-request-id': 'req-1',
      },
    });
  });

  it('ignores secrets shorter than 4 characters (they would shred ordinary text)', () => {
    expect(redact({ a: 'abc abc' }, ['abc', ''])).toEqual({ a: 'abc abc' });
    expect(redact({ a: 'abcd abc' }, ['abcd'])).toEqual({ a: `${REDACTED} abc` });
  });

  it('leaves non-string values alone and returns a copy', () => {
    const value = { n: 1, b: true, z: null, u: undefined, nested: { arr: [1, 'x'] } };
    const out = redact(value, secrets);
    expect(out).toEqual(value);
    expect(out).not.toBe(value);
    expect(out.nested).not.toBe(value.nested);
  });

  it('does not change its input', () => {
    const value = { token: 's3cr3t-token', headers: { authorization: 'Bearer s3cr3t-token' } };
    redact(value, secrets);
    expect(value).toEqual({ token: 's3cr3t-token', headers: { authorization: 'Bearer s3cr3t-token' } });
  });

  it('redacts a bare string', () => {
    expect(redact('failed with key sk_live_abcdef', secrets)).toBe(`failed with key ${REDACTED}`);
  });
});
