import { memberResults, memberStatusesFromBody } from '../../destinations/batch-results';

const IDS = ['m1', 'm2', 'm3'];

describe('memberResults: the runtime multi-status of performBatch, per member', () => {
  it('delivers every member of a batch the destination accepted', () => {
    const nodes = IDS.map(() => ({ status: 200, body: { ok: true }, sent: {} }));
    expect(memberResults(nodes, IDS).map((r) => r.delivered)).toEqual([true, true, true]);
  });

  it('retries members refused with a retryable status and not those refused for good', () => {
    const nodes = [
      { status: 200, sent: {} },
      { status: 503, errormessage: 'busy', sent: {} },
      { status: 400, errortype: 'PAYLOAD_VALIDATION_FAILED', errormessage: 'email missing' },
    ];
    const results = memberResults(nodes, IDS);
    expect(results.map((r) => [r.delivered, r.retryable, r.httpStatus, r.error])).toEqual([
      [true, false, 200, undefined],
      [false, true, 503, 'busy'],
      [false, false, 400, 'email missing'],
    ]);
  });

  it('treats a member the runtime said nothing about as a retryable failure', () => {
    expect(memberResults([{ status: 200 }], IDS).map((r) => [r.delivered, r.retryable])).toEqual([
      [true, false],
      [false, true],
      [false, true],
    ]);
  });

  it('reads a 207 body with one result per sent member, in order, skipping members the runtime did not send', () => {
    const body = { results: [{ status: 200 }, { status: 429, error: 'slow down' }] };
    const nodes = [
      { status: 207, body, sent: {} },
      { status: 400, errortype: 'PAYLOAD_VALIDATION_FAILED' },
      { status: 207, body, sent: {} },
    ];
    const results = memberResults(nodes, IDS);
    expect(results.map((r) => [r.delivered, r.retryable, r.httpStatus])).toEqual([
      [true, false, 200],
      [false, false, 400],
      [false, true, 429],
    ]);
    expect(results[2]?.error).toBe('slow down');
  });

  it('reads a 207 body naming members by messageId; members not named were accepted', () => {
    const body = [{ messageId: 'm2', status: 503 }];
    const nodes = IDS.map(() => ({ status: 207, body, sent: {} }));
    expect(memberResults(nodes, IDS).map((r) => r.delivered)).toEqual([true, false, true]);
  });

  it('takes a 207 it cannot read as accepted, like any 2xx', () => {
    const nodes = IDS.map(() => ({ status: 207, body: { whatever: 1 }, sent: {} }));
    expect(memberResults(nodes, IDS).every((r) => r.delivered)).toBe(true);
  });
});

describe('memberStatusesFromBody', () => {
  it('refuses a positional list of the wrong length rather than guess', () => {
    expect(memberStatusesFromBody({ results: [{ status: 200 }] }, IDS)).toBeUndefined();
  });
  it('refuses entries without a numeric status', () => {
    expect(
      memberStatusesFromBody([{ status: '200' }, { status: 200 }, { status: 200 }], IDS),
    ).toBeUndefined();
  });
});
