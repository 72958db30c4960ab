import {
  CONDITION_OPS,
  evaluateCondition,
  matchesAll,
  readPath,
  type Condition,
  type Facts,
} from '../../journeys/conditions';

const facts: Facts = {
  traits: {
    plan: 'pro',
    age: 42,
    score: 0,
    vip: false,
    nickname: null,
    email: 'ada@example.com',
    tags: ['beta', 'early', 7],
    address: { city: 'London', zip: 'N1' },
    signup: '2024-03-01T00:00:00Z',
  },
  properties: { total: 50, currency: 'EUR', items: [{ sku: 'a' }] },
  context: { 'Email Opened': { subject: 'Hi' }, device: { type: 'ios' } },
};

const holds = (condition: Condition, on: Facts = facts): boolean => evaluateCondition(condition, on);

describe('readPath', () => {
  it('reads nested values under traits, properties and context', () => {
    expect(readPath(facts, 'traits.plan')).toBe('pro');
    expect(readPath(facts, 'traits.address.city')).toBe('London');
    expect(readPath(facts, 'properties.total')).toBe(50);
    expect(readPath(facts, 'context.device.type')).toBe('ios');
    expect(readPath(facts, 'properties.items.0.sku')).toBe('a');
  });

  it('gives undefined for a missing path, however deep, and never throws', () => {
    expect(readPath(facts, 'traits.missing')).toBeUndefined();
    expect(readPath(facts, 'traits.missing.deeper.still')).toBeUndefined();
    expect(readPath(facts, 'traits.nickname.first')).toBeUndefined();
    expect(readPath(facts, 'traits.plan.length')).toBeUndefined();
    expect(readPath({}, 'traits.plan')).toBeUndefined();
    expect(readPath({ traits: {} }, 'properties.total')).toBeUndefined();
  });
});

describe('evaluateCondition', () => {
  it('covers every op the schema accepts', () => {
    expect([...CONDITION_OPS].sort()).toEqual(
      ['contains', 'eq', 'exists', 'gt', 'gte', 'in', 'lt', 'lte', 'neq', 'not_exists'].sort(),
    );
  });

  describe('eq / neq', () => {
    it('compares strictly, without type coercion', () => {
      expect(holds({ path: 'traits.plan', op: 'eq', value: 'pro' })).toBe(true);
      expect(holds({ path: 'traits.plan', op: 'eq', value: 'Pro' })).toBe(false);
      expect(holds({ path: 'traits.age', op: 'eq', value: 42 })).toBe(true);
      expect(holds({ path: 'traits.age', op: 'eq', value: '42' })).toBe(false);
      expect(holds({ path: 'traits.score', op: 'eq', value: false })).toBe(false);
      expect(holds({ path: 'traits.vip', op: 'eq', value: false })).toBe(true);
      expect(holds({ path: 'traits.vip', op: 'eq', value: 0 })).toBe(false);
      expect(holds({ path: 'traits.nickname', op: 'eq', value: null })).toBe(true);
    });

    it('eq never matches a missing path against a value', () => {
      expect(holds({ path: 'traits.missing', op: 'eq', value: 'pro' })).toBe(false);
      expect(holds({ path: 'traits.missing', op: 'eq', value: null })).toBe(false);
    });

    it('neq is the negation of eq, so a missing path is "not equal"', () => {
      expect(holds({ path: 'traits.plan', op: 'neq', value: 'free' })).toBe(true);
      expect(holds({ path: 'traits.plan', op: 'neq', value: 'pro' })).toBe(false);
      expect(holds({ path: 'traits.age', op: 'neq', value: '42' })).toBe(true);
      expect(holds({ path: 'traits.missing', op: 'neq', value: 'pro' })).toBe(true);
    });
  });

  describe('gt / gte / lt / lte', () => {
    it.each([
      ['gt', 49, true],
      ['gt', 50, false],
      ['gte', 50, true],
      ['gte', 51, false],
      ['lt', 51, true],
      ['lt', 50, false],
      ['lte', 50, true],
      ['lte', 49, false],
    ] as const)('properties.total (50) %s %d → %s', (op, value, expected) => {
      expect(holds({ path: 'properties.total', op, value })).toBe(expected);
    });

    it('orders strings lexicographically (ISO dates compare in time order)', () => {
      expect(holds({ path: 'traits.signup', op: 'gte', value: '2024-01-01T00:00:00Z' })).toBe(true);
      expect(holds({ path: 'traits.signup', op: 'lt', value: '2024-01-01T00:00:00Z' })).toBe(false);
      expect(holds({ path: 'traits.plan', op: 'gt', value: 'basic' })).toBe(true);
      expect(holds({ path: 'traits.plan', op: 'lte', value: 'pro' })).toBe(true);
    });

    it('is false on a type mismatch rather than coercing', () => {
      for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
        expect(holds({ path: 'traits.age', op, value: '42' })).toBe(false);
        expect(holds({ path: 'traits.plan', op, value: 1 })).toBe(false);
        expect(holds({ path: 'traits.vip', op, value: 0 })).toBe(false);
        expect(holds({ path: 'traits.nickname', op, value: 0 })).toBe(false);
        expect(holds({ path: 'traits.tags', op, value: 1 })).toBe(false);
      }
    });

    it('is false for a missing path or a missing value', () => {
      for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
        expect(holds({ path: 'traits.missing', op, value: 1 })).toBe(false);
        expect(holds({ path: 'properties.total', op })).toBe(false);
      }
    });

    it('handles zero and negatives as numbers', () => {
      expect(holds({ path: 'traits.score', op: 'gte', value: 0 })).toBe(true);
      expect(holds({ path: 'traits.score', op: 'gt', value: -1 })).toBe(true);
      expect(holds({ path: 'traits.score', op: 'lt', value: 0 })).toBe(false);
    });
  });

  describe('exists / not_exists', () => {
    it('treats undefined and null as absent, every other value (falsy too) as present', () => {
      for (const path of [
        'traits.plan',
        'traits.score',
        'traits.vip',
        'traits.tags',
        'traits.address',
        'context.Email Opened',
      ]) {
        expect([path, holds({ path, op: 'exists' })]).toEqual([path, true]);
        expect([path, holds({ path, op: 'not_exists' })]).toEqual([path, false]);
      }
      for (const path of [
        'traits.nickname',
        'traits.missing',
        'traits.address.street',
        'context.Order Completed',
      ]) {
        expect([path, holds({ path, op: 'exists' })]).toEqual([path, false]);
        expect([path, holds({ path, op: 'not_exists' })]).toEqual([path, true]);
      }
    });

    it('treats an empty string as present', () => {
      expect(holds({ path: 'traits.name', op: 'exists' }, { traits: { name: '' } })).toBe(true);
    });

    // BUG: readPath() follows inherited properties of plain objects, so Object.prototype members
    // look like traits the profile has: `traits.constructor exists` is true for an empty profile.
    test('does not see Object.prototype members as traits', () => {
      expect(holds({ path: 'traits.constructor', op: 'exists' }, { traits: {} })).toBe(false);
      expect(holds({ path: 'traits.toString', op: 'not_exists' }, { traits: {} })).toBe(true);
    });
  });

  describe('contains', () => {
    it('finds a substring in a string (case-sensitive)', () => {
      expect(holds({ path: 'traits.email', op: 'contains', value: '@example.com' })).toBe(true);
      expect(holds({ path: 'traits.email', op: 'contains', value: '@EXAMPLE.com' })).toBe(false);
      expect(holds({ path: 'traits.email', op: 'contains', value: '' })).toBe(true);
    });

    it('finds an element in an array, strictly', () => {
      expect(holds({ path: 'traits.tags', op: 'contains', value: 'beta' })).toBe(true);
      expect(holds({ path: 'traits.tags', op: 'contains', value: 7 })).toBe(true);
      expect(holds({ path: 'traits.tags', op: 'contains', value: '7' })).toBe(false);
      expect(holds({ path: 'traits.tags', op: 'contains', value: 'bet' })).toBe(false);
    });

    it('is false on a type mismatch or a missing path', () => {
      expect(holds({ path: 'traits.email', op: 'contains', value: 1 })).toBe(false);
      expect(holds({ path: 'traits.age', op: 'contains', value: 4 })).toBe(false);
      expect(holds({ path: 'traits.address', op: 'contains', value: 'London' })).toBe(false);
      expect(holds({ path: 'traits.missing', op: 'contains', value: 'x' })).toBe(false);
    });
  });

  describe('in', () => {
    it('finds the actual value in the expected list, strictly', () => {
      expect(holds({ path: 'traits.plan', op: 'in', value: ['free', 'pro'] })).toBe(true);
      expect(holds({ path: 'traits.plan', op: 'in', value: ['free', 'team'] })).toBe(false);
      expect(holds({ path: 'traits.age', op: 'in', value: [41, 42] })).toBe(true);
      expect(holds({ path: 'traits.age', op: 'in', value: ['42'] })).toBe(false);
    });

    it('is false when the expected value is not a list, or the path is missing', () => {
      expect(holds({ path: 'traits.plan', op: 'in', value: 'pro' })).toBe(false);
      expect(holds({ path: 'traits.plan', op: 'in', value: 'a pro plan' })).toBe(false);
      expect(holds({ path: 'traits.plan', op: 'in' })).toBe(false);
      expect(holds({ path: 'traits.missing', op: 'in', value: ['pro'] })).toBe(false);
    });
  });
});

describe('matchesAll', () => {
  it('is an AND over the list', () => {
    const pro: Condition = { path: 'traits.plan', op: 'eq', value: 'pro' };
    const big: Condition = { path: 'properties.total', op: 'gte', value: 50 };
    const huge: Condition = { path: 'properties.total', op: 'gte', value: 500 };
    expect(matchesAll([pro, big], facts)).toBe(true);
    expect(matchesAll([pro, huge], facts)).toBe(false);
    expect(matchesAll([huge, pro], facts)).toBe(false);
  });

  it('matches everything when there are no conditions', () => {
    expect(matchesAll([], facts)).toBe(true);
    expect(matchesAll(undefined, {})).toBe(true);
  });
});
