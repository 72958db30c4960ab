import { selectIdentifiers, type KnownIdentifier } from '../../journeys/id-sync';

/** A profile with 2 emails, 1 user_id, 2 phones and an anonymous id, seen at different times. */
const profile: KnownIdentifier[] = [
  { type: 'email', value: 'new@example.com', firstSeen: '2024-05-01T00:00:00Z' },
  { type: 'user_id', value: 'u_123', firstSeen: '2024-02-01T00:00:00Z' },
  { type: 'email', value: 'old@example.com', firstSeen: '2024-01-01T00:00:00Z' },
];

const richer: KnownIdentifier[] = [
  ...profile,
  { type: 'phone', value: '+15550002', firstSeen: Date.parse('2024-04-01T00:00:00Z') },
  { type: 'phone', value: '+15550001', firstSeen: new Date('2024-03-01T00:00:00Z') },
  { type: 'anonymous_id', value: 'anon-1', firstSeen: '2023-12-31T23:59:59Z' },
  { type: 'crm_id', value: 'crm-9', firstSeen: '2024-06-01T00:00:00Z' },
];

describe('selectIdentifiers', () => {
  it('sends every value of every identifier without rules (2 emails + 1 user_id → 3), oldest first', () => {
    expect(selectIdentifiers(profile, undefined)).toEqual([
      { type: 'email', value: 'old@example.com' },
      { type: 'user_id', value: 'u_123' },
      { type: 'email', value: 'new@example.com' },
    ]);
    expect(selectIdentifiers(profile, [])).toHaveLength(3);
  });

  it('sends only the newest email with [{email, last}]', () => {
    expect(selectIdentifiers(profile, [{ identifier: 'email', strategy: 'last' }])).toEqual([
      { type: 'email', value: 'new@example.com' },
    ]);
  });

  it('sends only the oldest email with [{email, first}]', () => {
    expect(selectIdentifiers(profile, [{ identifier: 'email', strategy: 'first' }])).toEqual([
      { type: 'email', value: 'old@example.com' },
    ]);
  });

  it('sends every value of an identifier with "all"', () => {
    expect(selectIdentifiers(profile, [{ identifier: 'email', strategy: 'all' }])).toEqual([
      { type: 'email', value: 'old@example.com' },
      { type: 'email', value: 'new@example.com' },
    ]);
  });

  it('combines rules, in rule order, and drops identifiers without a rule', () => {
    expect(
      selectIdentifiers(richer, [
        { identifier: 'phone', strategy: 'last' },
        { identifier: 'email', strategy: 'first' },
        { identifier: 'user_id', strategy: 'all' },
      ]),
    ).toEqual([
      { type: 'phone', value: '+15550002' },
      { type: 'email', value: 'old@example.com' },
      { type: 'user_id', value: 'u_123' },
    ]);
  });

  it('orders by firstSeen whatever its form (ISO text, epoch ms, Date)', () => {
    expect(selectIdentifiers(richer, [{ identifier: 'phone', strategy: 'first' }])).toEqual([
      { type: 'phone', value: '+15550001' },
    ]);
    expect(selectIdentifiers(richer, [{ identifier: 'phone', strategy: 'all' }]).map((i) => i.value)).toEqual(
      ['+15550001', '+15550002'],
    );
    expect(selectIdentifiers(richer, undefined).map((i) => i.value)).toEqual([
      'anon-1',
      'old@example.com',
      'u_123',
      '+15550001',
      '+15550002',
      'new@example.com',
      'crm-9',
    ]);
  });

  it('supports custom identifiers (context.externalIds)', () => {
    expect(selectIdentifiers(richer, [{ identifier: 'crm_id', strategy: 'last' }])).toEqual([
      { type: 'crm_id', value: 'crm-9' },
    ]);
  });

  it('yields nothing for an identifier the profile lacks', () => {
    expect(selectIdentifiers(profile, [{ identifier: 'phone', strategy: 'last' }])).toEqual([]);
    expect(selectIdentifiers(profile, [{ identifier: 'ios.idfa', strategy: 'all' }])).toEqual([]);
    expect(selectIdentifiers([], undefined)).toEqual([]);
  });

  it('is stable for values seen at the same time, whatever the input order', () => {
    const at = '2024-01-01T00:00:00Z';
    const same: KnownIdentifier[] = [
      { type: 'email', value: 'b@example.com', firstSeen: at },
      { type: 'email', value: 'a@example.com', firstSeen: at },
    ];
    const forward = selectIdentifiers(same, [{ identifier: 'email', strategy: 'last' }]);
    const backward = selectIdentifiers([...same].reverse(), [{ identifier: 'email', strategy: 'last' }]);
    expect(forward).toEqual(backward);
    expect(forward).toHaveLength(1);
  });

  it('does not reorder or change its input', () => {
    const input = profile.map((i) => ({ ...i }));
    selectIdentifiers(input, undefined);
    expect(input).toEqual(profile);
  });

  it('returns only type and value', () => {
    for (const identifier of selectIdentifiers(richer, undefined)) {
      expect(Object.keys(identifier).sort()).toEqual(['type', 'value']);
    }
  });
});
