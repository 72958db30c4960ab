import {
  buildEngageEvent,
  deliveryMessageId,
  type EngageEventInput,
  type Identifier,
} from '../../destinations/engage-event';

const KEY = 'j_o_first_purchase__opened_email_dje83h';

function input(overrides: Partial<EngageEventInput> = {}): EngageEventInput {
  return {
    call: 'track',
    stepKey: KEY,
    journeyId: 'jrn_1',
    stepId: 'send',
    spaceId: 'spa_default',
    userId: 'u_123',
    identifier: { type: 'email', value: 'ada@example.com' },
    traits: { first_name: 'Ada' },
    messageId: 'sj-abc',
    timestamp: '2024-05-01T12:00:00.000Z',
    ...overrides,
  };
}

const PERSONAS = {
  computation_class: 'journey_step',
  computation_key: KEY,
  computation_id: 'jrn_1:send',
  space_id: 'spa_default',
  namespace: 'spa_default',
};

/** The event as plain JSON, so tests read it the way a destination does. */
function build(overrides: Partial<EngageEventInput> = {}): Record<string, unknown> {
  return JSON.parse(JSON.stringify(buildEngageEvent(input(overrides)))) as Record<string, unknown>;
}

describe('buildEngageEvent: track', () => {
  it('is exactly the SPEC §3 track shape (plus receivedAt, as every Segment event has)', () => {
    expect(build()).toEqual({
      type: 'track',
      event: 'Audience Entered',
      userId: 'u_123',
      messageId: 'sj-abc',
      timestamp: '2024-05-01T12:00:00.000Z',
      receivedAt: '2024-05-01T12:00:00.000Z',
      properties: { audience_key: KEY, [KEY]: true, first_name: 'Ada' },
      context: { personas: PERSONAS, traits: { email: 'ada@example.com' } },
    });
  });

  it('sends membership as the boolean true, not the string "true"', () => {
    const properties = build().properties as Record<string, unknown>;
    expect(properties[KEY]).toBe(true);
  });

  it('lets the step key and audience_key win over enriched traits of the same name', () => {
    const properties = build({ traits: { [KEY]: 'no', audience_key: 'other', ltv: 12.5 } }).properties;
    expect(properties).toEqual({ audience_key: KEY, [KEY]: true, ltv: 12.5 });
  });

  it('adds only the membership when there are no enriched traits', () => {
    expect(build({ traits: {} }).properties).toEqual({ audience_key: KEY, [KEY]: true });
  });

  it('carries external_audience_id when one is given (list destinations)', () => {
    const context = build({ externalAudienceId: 'list_77' }).context as Record<string, unknown>;
    expect(context.personas).toEqual({ ...PERSONAS, external_audience_id: 'list_77' });
    expect(build().context).not.toHaveProperty('personas.external_audience_id');
  });
});

describe('buildEngageEvent: identify', () => {
  it('is the track shape with traits instead of properties and event', () => {
    expect(build({ call: 'identify' })).toEqual({
      type: 'identify',
      userId: 'u_123',
      messageId: 'sj-abc',
      timestamp: '2024-05-01T12:00:00.000Z',
      receivedAt: '2024-05-01T12:00:00.000Z',
      traits: { [KEY]: true, first_name: 'Ada', email: 'ada@example.com' },
      context: { personas: PERSONAS },
    });
  });

  it('sends membership as the boolean true and lets the key win over a trait of the same name', () => {
    const traits = build({ call: 'identify', traits: { [KEY]: 'false', plan: 'pro' } }).traits;
    expect(traits).toEqual({ [KEY]: true, plan: 'pro', email: 'ada@example.com' });
  });
});

describe('buildEngageEvent: identifier placement (ID Sync fan-out)', () => {
  const cases: Array<[Identifier, Record<string, unknown>, Record<string, unknown>]> = [
    // identifier, what a track event holds, what an identify event holds
    [{ type: 'user_id', value: 'u_999' }, { userId: 'u_999' }, { userId: 'u_999' }],
    [{ type: 'anonymous_id', value: 'anon-1' }, { anonymousId: 'anon-1' }, { anonymousId: 'anon-1' }],
    [
      { type: 'email', value: 'x@example.com' },
      { 'context.traits.email': 'x@example.com' },
      { 'traits.email': 'x@example.com' },
    ],
    [
      { type: 'phone', value: '+15550001' },
      { 'context.traits.phone': '+15550001' },
      { 'traits.phone': '+15550001' },
    ],
    [
      { type: 'ios.idfa', value: 'IDFA-1' },
      { 'context.device.advertisingId': 'IDFA-1', 'context.device.type': 'ios' },
      { 'context.device.advertisingId': 'IDFA-1', 'context.device.type': 'ios' },
    ],
    [
      { type: 'android.idfa', value: 'AAID-1' },
      { 'context.device.advertisingId': 'AAID-1', 'context.device.type': 'android' },
      { 'context.device.advertisingId': 'AAID-1', 'context.device.type': 'android' },
    ],
    [
      { type: 'crm_id', value: 'crm-9' },
      { 'context.externalIds': [{ id: 'crm-9', type: 'crm_id', collection: 'users', encoding: 'none' }] },
      { 'context.externalIds': [{ id: 'crm-9', type: 'crm_id', collection: 'users', encoding: 'none' }] },
    ],
  ];

  it.each(cases)('places %j', (identifier, inTrack, inIdentify) => {
    const track = build({ identifier });
    for (const [path, value] of Object.entries(inTrack)) expect(track).toHaveProperty(path.split('.'), value);
    const identify = build({ call: 'identify', identifier });
    for (const [path, value] of Object.entries(inIdentify))
      expect(identify).toHaveProperty(path.split('.'), value);
  });

  it('keeps the profile userId on events fanned out for other identifiers', () => {
    expect(build({ identifier: { type: 'anonymous_id', value: 'anon-1' } })).toMatchObject({
      userId: 'u_123',
      anonymousId: 'anon-1',
    });
    expect(build({ identifier: { type: 'phone', value: '+1' } }).userId).toBe('u_123');
  });

  it('puts email and phone only in their own place for each call', () => {
    const track = build({ identifier: { type: 'phone', value: '+15550001' } });
    expect(track.traits).toBeUndefined();
    expect((track.context as Record<string, unknown>).traits).toEqual({ phone: '+15550001' });
    expect(track.properties).not.toHaveProperty('phone');
    const identify = build({ call: 'identify', identifier: { type: 'email', value: 'x@example.com' } });
    expect((identify.context as Record<string, unknown>).traits).toBeUndefined();
    expect(identify.properties).toBeUndefined();
  });

  it('does not add email to the context for a user_id identifier', () => {
    const track = build({ identifier: { type: 'user_id', value: 'u_123' } });
    expect(track.context).toEqual({ personas: PERSONAS });
    expect(track).not.toHaveProperty('anonymousId');
  });

  it('does not mutate the input traits', () => {
    const traits = { first_name: 'Ada' };
    buildEngageEvent(input({ call: 'identify', traits }));
    buildEngageEvent(input({ call: 'track', traits }));
    expect(traits).toEqual({ first_name: 'Ada' });
  });
});

describe('deliveryMessageId', () => {
  const parts = {
    workflowId: 'journey:jrn_1:u_123',
    stepId: 'send',
    destinationId: 'dst_1',
    identifier: { type: 'email', value: 'ada@example.com' },
  };

  it('is deterministic', () => {
    expect(deliveryMessageId(parts)).toBe(
      deliveryMessageId({ ...parts, identifier: { ...parts.identifier } }),
    );
    expect(deliveryMessageId(parts)).toMatch(/^sj-[0-9a-f]{40}$/);
  });

  it('differs when any part differs', () => {
    const variants = [
      parts,
      { ...parts, workflowId: 'journey:jrn_1:u_124' },
      { ...parts, workflowId: 'journey:jrn_1:u_123:2' },
      { ...parts, stepId: 'send2' },
      { ...parts, destinationId: 'dst_2' },
      { ...parts, identifier: { type: 'email', value: 'ada2@example.com' } },
      { ...parts, identifier: { type: 'user_id', value: 'ada@example.com' } },
    ];
    const ids = new Set(variants.map((v) => deliveryMessageId(v)));
    expect(ids.size).toBe(variants.length);
  });

  it('does not confuse parts that concatenate to the same text', () => {
    const a = deliveryMessageId({ ...parts, stepId: 'ab', destinationId: 'c' });
    const b = deliveryMessageId({ ...parts, stepId: 'a', destinationId: 'bc' });
    expect(a).not.toBe(b);
  });

  it('ignores fields outside (run, step, destination, identifier)', () => {
    const extra = { ...parts, journeyId: 'jrn_1', call: 'track', traits: { a: 1 } };
    expect(deliveryMessageId(extra)).toBe(deliveryMessageId(parts));
  });
});
