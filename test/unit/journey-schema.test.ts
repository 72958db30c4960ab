import { checkGraph, edgesOf } from '../../journeys/graph';
import { JourneyDefinitionSchema, LIMITS } from '../../journeys/schema';

/** The journey of SPEC §2, with real destination ids. */
function specExample(): Record<string, unknown> & { steps: Array<Record<string, unknown>> } {
  return {
    name: 'First Purchase',
    entry: {
      type: 'event',
      event: 'Order Completed',
      where: [{ path: 'properties.total', op: 'gte', value: 50 }],
    },
    reentry: { mode: 'once' },
    exit: { events: ['Unsubscribed'], after: '30d' },
    start: 'wait',
    steps: [
      { id: 'wait', type: 'delay', duration: '3d', next: 'opened' },
      {
        id: 'opened',
        type: 'hold_until',
        branches: [{ name: 'opened', event: 'Email Opened', next: 'vip' }],
        timeout: '7d',
        timeoutNext: 'end',
      },
      {
        id: 'vip',
        type: 'split',
        branches: [{ name: 'pro', where: [{ path: 'traits.plan', op: 'eq', value: 'pro' }], next: 'send' }],
        else: 'end',
      },
      {
        id: 'send',
        type: 'send',
        name: 'Opened email',
        destinations: [
          {
            destinationId: 'dst_4f1c2a',
            call: 'track',
            enrichment: { traits: { first_name: 'firstName', lifetime_value: 'ltv_sql' } },
            idSync: [
              { identifier: 'email', strategy: 'last' },
              { identifier: 'user_id', strategy: 'all' },
            ],
          },
        ],
        next: 'end',
      },
      { id: 'end', type: 'exit' },
    ],
  };
}

/** A minimal valid journey: `start` → … → exit, with the given steps before the exit. */
function journey(steps: Array<Record<string, unknown>>, start = 'a'): Record<string, unknown> {
  return { name: 'J', entry: { type: 'api' }, start, steps };
}

function send(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'send',
    name: 'Send it',
    destinations: [{ destinationId: 'dst_1' }],
    next: 'end',
    ...overrides,
  };
}

const END = { id: 'end', type: 'exit' };

function issuesOf(input: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const result = JourneyDefinitionSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
}

describe('JourneyDefinitionSchema: valid journeys', () => {
  it('parses the SPEC §2 example and applies defaults', () => {
    const result = JourneyDefinitionSchema.safeParse(specExample());
    expect(result.error?.issues).toBeUndefined();
    expect(result.success).toBe(true);
    const parsed = result.data;
    expect(parsed?.name).toBe('First Purchase');
    expect(parsed?.steps.map((s) => s.type)).toEqual(['delay', 'hold_until', 'split', 'send', 'exit']);
    const sendStep = parsed?.steps[3];
    expect(sendStep?.type === 'send' && sendStep.destinations[0]).toEqual({
      destinationId: 'dst_4f1c2a',
      call: 'track',
      enrichment: { traits: { first_name: 'firstName', lifetime_value: 'ltv_sql' } },
      idSync: [
        { identifier: 'email', strategy: 'last' },
        { identifier: 'user_id', strategy: 'all' },
      ],
    });
  });

  it('defaults reentry to once and call to track', () => {
    const parsed = JourneyDefinitionSchema.parse(journey([send('a'), END]));
    expect(parsed.reentry).toEqual({ mode: 'once' });
    const step = parsed.steps[0];
    expect(step?.type === 'send' && step.destinations[0]?.call).toBe('track');
  });

  it('accepts a diamond (two paths joining again): that is not a loop', () => {
    const steps = [
      {
        id: 'a',
        type: 'random_split',
        branches: [
          { name: 'x', weight: 50, next: 'b' },
          { name: 'y', weight: 50, next: 'c' },
        ],
      },
      { id: 'b', type: 'delay', duration: '1h', next: 'd' },
      { id: 'c', type: 'delay', duration: '2h', next: 'd' },
      send('d'),
      END,
    ];
    expect(issuesOf(journey(steps))).toEqual([]);
  });

  it('accepts exactly the limits: 100 steps, a 170-char step name, 5 destinations, 3 idSync "all"', () => {
    const steps: Array<Record<string, unknown>> = Array.from({ length: LIMITS.steps - 1 }, (_, i) => ({
      id: `s${i}`,
      type: 'delay',
      duration: '1m',
      next: i === LIMITS.steps - 2 ? 'end' : `s${i + 1}`,
    }));
    steps.push(END);
    expect(steps).toHaveLength(100);
    expect(issuesOf(journey(steps, 's0'))).toEqual([]);

    const big = send('a', {
      name: 'n'.repeat(170),
      destinations: Array.from({ length: 5 }, (_, i) => ({
        destinationId: `dst_${i}`,
        idSync: [
          { identifier: 'email', strategy: 'all' },
          { identifier: 'phone', strategy: 'all' },
          { identifier: 'user_id', strategy: 'all' },
          { identifier: 'anonymous_id', strategy: 'last' },
        ],
      })),
    });
    expect(issuesOf(journey([big, END]))).toEqual([]);
  });

  it.each(['1m', '60s', '24h', '182d', '26w', `${182 * 24}h`])('accepts the delay %s', (duration) => {
    expect(issuesOf(journey([{ id: 'a', type: 'delay', duration, next: 'end' }, END]))).toEqual([]);
  });
});

describe('JourneyDefinitionSchema: rejected journeys name the step and field', () => {
  it('rejects a loop, at the edge that closes it', () => {
    const steps = [
      { id: 'a', type: 'delay', duration: '1h', next: 'b' },
      { id: 'b', type: 'delay', duration: '1h', next: 'c' },
      {
        id: 'c',
        type: 'split',
        branches: [{ name: 'again', where: [{ path: 'traits.x', op: 'exists' }], next: 'a' }],
        else: 'end',
      },
      END,
    ];
    const issues = issuesOf(journey(steps));
    expect(issues).toEqual([
      { path: ['steps', 2, 'branches', 0, 'next'], message: expect.stringMatching(/"c".*"a".*loop/) },
    ]);
  });

  it('rejects a step that points to itself', () => {
    const issues = issuesOf(journey([{ id: 'a', type: 'delay', duration: '1h', next: 'a' }]));
    expect(issues).toEqual([
      { path: ['steps', 0, 'next'], message: expect.stringContaining('may not loop') },
    ]);
  });

  it('rejects a dangling next, else, timeoutNext and branch next', () => {
    const steps = [
      { id: 'a', type: 'delay', duration: '1h', next: 'nowhere' },
      {
        id: 'h',
        type: 'hold_until',
        branches: [{ name: 'o', event: 'E', next: 'ghost' }],
        timeout: '1d',
        timeoutNext: 'void',
      },
      {
        id: 's',
        type: 'split',
        branches: [{ name: 'p', where: [{ path: 'traits.x', op: 'exists' }], next: 'end' }],
        else: 'missing',
      },
      END,
    ];
    const issues = issuesOf(journey(steps));
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: ['steps', 0, 'next'], message: 'step "a" points to "nowhere", which does not exist' },
        { path: ['steps', 1, 'timeoutNext'], message: 'step "h" points to "void", which does not exist' },
        {
          path: ['steps', 1, 'branches', 0, 'next'],
          message: 'step "h" points to "ghost", which does not exist',
        },
        { path: ['steps', 2, 'else'], message: 'step "s" points to "missing", which does not exist' },
      ]),
    );
    expect(issues).toHaveLength(4);
  });

  it('rejects a start step that does not exist', () => {
    expect(issuesOf(journey([END], 'begin'))).toEqual([
      { path: ['start'], message: 'start step "begin" does not exist' },
    ]);
  });

  it('rejects duplicate step ids at the second occurrence', () => {
    const issues = issuesOf(journey([send('a'), send('a'), END]));
    expect(issues).toEqual([{ path: ['steps', 1, 'id'], message: 'step id "a" is used twice' }]);
  });

  it('rejects steps that cannot be reached from the start', () => {
    const steps = [send('a'), END, { id: 'orphan', type: 'exit' }, send('island', { next: 'orphan' })];
    const issues = issuesOf(journey(steps));
    expect(issues).toEqual([
      { path: ['steps', 2, 'id'], message: 'step "orphan" cannot be reached from the start step' },
      { path: ['steps', 3, 'id'], message: 'step "island" cannot be reached from the start step' },
    ]);
  });

  it('rejects more than 100 steps', () => {
    const steps: Array<Record<string, unknown>> = Array.from({ length: 100 }, (_, i) => ({
      id: `s${i}`,
      type: 'delay',
      duration: '1m',
      next: i === 99 ? 'end' : `s${i + 1}`,
    }));
    steps.push(END);
    const issues = issuesOf(journey(steps, 's0'));
    expect(issues).toEqual([{ path: ['steps'], message: expect.stringMatching(/100/) }]);
  });

  it('rejects a step name over 170 characters (and a blank one)', () => {
    expect(issuesOf(journey([send('a', { name: 'n'.repeat(171) }), END]))).toEqual([
      { path: ['steps', 0, 'name'], message: expect.stringMatching(/170/) },
    ]);
    expect(issuesOf(journey([send('a', { name: '   ' }), END]))).toEqual([
      { path: ['steps', 0, 'name'], message: expect.any(String) },
    ]);
  });

  it('rejects more than 5 destinations on a send step', () => {
    const destinations = Array.from({ length: 6 }, (_, i) => ({ destinationId: `dst_${i}` }));
    expect(issuesOf(journey([send('a', { destinations }), END]))).toEqual([
      { path: ['steps', 0, 'destinations'], message: expect.stringMatching(/5/) },
    ]);
  });

  it('rejects a send step without destinations', () => {
    expect(issuesOf(journey([send('a', { destinations: [] }), END]))).toEqual([
      { path: ['steps', 0, 'destinations'], message: expect.any(String) },
    ]);
  });

  it('rejects 4 identifiers with strategy "all", at that destination\'s idSync', () => {
    const idSync = ['email', 'phone', 'user_id', 'anonymous_id'].map((identifier) => ({
      identifier,
      strategy: 'all',
    }));
    const destinations = [{ destinationId: 'dst_ok' }, { destinationId: 'dst_bad', idSync }];
    expect(issuesOf(journey([send('a', { destinations }), END]))).toEqual([
      {
        path: ['steps', 0, 'destinations', 1, 'idSync'],
        message: 'at most 3 identifiers may use strategy "all"',
      },
    ]);
  });

  it('rejects the same identifier twice in idSync', () => {
    const idSync = [
      { identifier: 'email', strategy: 'last' },
      { identifier: 'email', strategy: 'first' },
    ];
    expect(issuesOf(journey([send('a', { destinations: [{ destinationId: 'd', idSync }] }), END]))).toEqual([
      { path: ['steps', 0, 'destinations', 0, 'idSync'], message: 'each identifier may appear once' },
    ]);
  });

  it.each(['30s', '59s', '0m', '183d', '27w', `${182 * 24 + 1}h`])(
    'rejects the delay %s (outside 1 minute to 182 days)',
    (duration) => {
      expect(issuesOf(journey([{ id: 'a', type: 'delay', duration, next: 'end' }, END]))).toEqual([
        { path: ['steps', 0, 'duration'], message: 'must be between 1 minute and 182 days' },
      ]);
    },
  );

  it('applies the same bounds to a hold_until timeout', () => {
    const hold = (timeout: string) => ({
      id: 'a',
      type: 'hold_until',
      branches: [{ name: 'o', event: 'Email Opened', next: 'end' }],
      timeout,
      timeoutNext: 'end',
    });
    expect(issuesOf(journey([hold('7d'), END]))).toEqual([]);
    expect(issuesOf(journey([hold('10s'), END]))).toEqual([
      { path: ['steps', 0, 'timeout'], message: 'must be between 1 minute and 182 days' },
    ]);
    expect(issuesOf(journey([hold('200d'), END]))).toEqual([
      { path: ['steps', 0, 'timeout'], message: 'must be between 1 minute and 182 days' },
    ]);
  });

  it('rejects a malformed duration where no delay bound applies (exit.after, reentry.after)', () => {
    const input = {
      ...journey([send('a'), END]),
      exit: { after: '30 days' },
      reentry: { mode: 'after', after: 'soon' },
    };
    expect(issuesOf(input)).toEqual([
      { path: ['reentry', 'after'], message: expect.stringMatching(/duration/) },
      { path: ['exit', 'after'], message: expect.stringMatching(/duration/) },
    ]);
  });

  // BUG: the delay bound refinement calls parseDuration(), which throws on a string the regex has
  // already rejected; zod still runs the refinement, so safeParse() throws instead of returning an
  // issue, and POST /v1/journeys answers 500 instead of 400.
  test.each(['3 days', '3', '1.5h', '-1d', '3D', '3y'])(
    'rejects the malformed delay %j with an issue, without throwing',
    (duration) => {
      const issues = issuesOf(journey([{ id: 'a', type: 'delay', duration, next: 'end' }, END]));
      expect(issues).toContainEqual({
        path: ['steps', 0, 'duration'],
        message: expect.stringMatching(/duration/),
      });
    },
  );

  test('rejects a malformed hold_until timeout with an issue, without throwing', () => {
    const hold = {
      id: 'a',
      type: 'hold_until',
      branches: [{ name: 'o', event: 'E', next: 'end' }],
      timeout: '1 week',
      timeoutNext: 'end',
    };
    expect(issuesOf(journey([hold, END]))).toContainEqual({
      path: ['steps', 0, 'timeout'],
      message: expect.stringMatching(/duration/),
    });
  });

  it('rejects more than 9 hold_until branches and more than 5 random_split branches', () => {
    const holdBranches = Array.from({ length: 10 }, (_, i) => ({
      name: `b${i}`,
      event: `E${i}`,
      next: 'end',
    }));
    expect(
      issuesOf(
        journey([
          { id: 'a', type: 'hold_until', branches: holdBranches, timeout: '1d', timeoutNext: 'end' },
          END,
        ]),
      ),
    ).toEqual([{ path: ['steps', 0, 'branches'], message: expect.any(String) }]);
    const randomBranches = Array.from({ length: 6 }, (_, i) => ({ name: `b${i}`, weight: 10, next: 'end' }));
    expect(issuesOf(journey([{ id: 'a', type: 'random_split', branches: randomBranches }, END]))).toEqual([
      { path: ['steps', 0, 'branches'], message: expect.any(String) },
    ]);
  });

  it('rejects conditions on unknown roots and unknown ops', () => {
    const where = [
      { path: 'user.plan', op: 'eq', value: 'pro' },
      { path: 'traits.plan', op: 'like', value: 'pro' },
    ];
    const steps = [
      { id: 'a', type: 'split', branches: [{ name: 'p', where, next: 'end' }], else: 'end' },
      END,
    ];
    const paths = issuesOf(journey(steps)).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        ['steps', 0, 'branches', 0, 'where', 0, 'path'],
        ['steps', 0, 'branches', 0, 'where', 1, 'op'],
      ]),
    );
  });

  it('rejects an unknown step type', () => {
    expect(issuesOf(journey([{ id: 'a', type: 'teleport', next: 'end' }, END]))).toEqual([
      { path: ['steps', 0, 'type'], message: expect.any(String) },
    ]);
  });
});

describe('checkGraph', () => {
  it('lists every edge of a step with the field that holds it', () => {
    expect(
      edgesOf({
        id: 'h',
        type: 'hold_until',
        timeoutNext: 't',
        branches: [{ next: 'x' }, {}, { next: 'y' }],
      }),
    ).toEqual([
      { field: ['timeoutNext'], target: 't' },
      { field: ['branches', 0, 'next'], target: 'x' },
      { field: ['branches', 2, 'next'], target: 'y' },
    ]);
    expect(edgesOf({ id: 's', type: 'split', else: 'e', branches: [] })).toEqual([
      { field: ['else'], target: 'e' },
    ]);
    expect(edgesOf({ id: 'x', type: 'exit' })).toEqual([]);
  });

  it('finds no problem in a straight line', () => {
    expect(
      checkGraph({
        start: 'a',
        steps: [
          { id: 'a', type: 'delay', next: 'b' },
          { id: 'b', type: 'exit' },
        ],
      }),
    ).toEqual([]);
  });

  it('reports a loop reached through a later branch', () => {
    const problems = checkGraph({
      start: 'a',
      steps: [
        { id: 'a', type: 'split', branches: [{ next: 'z' }, { next: 'b' }], else: 'z' },
        { id: 'b', type: 'delay', next: 'c' },
        { id: 'c', type: 'delay', next: 'b' },
        { id: 'z', type: 'exit' },
      ],
    });
    expect(problems).toEqual([
      { path: ['steps', 2, 'next'], message: 'step "c" points back to "b": journeys may not loop' },
    ]);
  });
});
