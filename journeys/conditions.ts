/**
 * Condition evaluation over a user's facts. Pure and deterministic: it runs inside workflows too.
 */
export const CONDITION_OPS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'not_exists',
  'contains',
  'in',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export interface Condition {
  path: string;
  op: ConditionOp;
  value?: unknown;
}

/** `traits.*` of the profile, `properties.*` of the entry event, `context.*` of events collected on the path. */
export interface Facts {
  traits?: Record<string, unknown>;
  properties?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

export function readPath(facts: Facts, path: string): unknown {
  let current: unknown = facts;
  for (const part of path.split('.')) {
    // Own properties only: "traits.constructor" must not find Object.prototype's.
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, part)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

export function evaluateCondition(condition: Condition, facts: Facts): boolean {
  const actual = readPath(facts, condition.path);
  const expected = condition.value;
  switch (condition.op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'not_exists':
      return actual === undefined || actual === null;
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const order = compare(actual, expected);
      if (order === undefined) return false;
      if (condition.op === 'gt') return order > 0;
      if (condition.op === 'gte') return order >= 0;
      if (condition.op === 'lt') return order < 0;
      return order <= 0;
    }
    case 'contains':
      if (typeof actual === 'string') return typeof expected === 'string' && actual.includes(expected);
      return Array.isArray(actual) && actual.includes(expected);
    case 'in':
      return Array.isArray(expected) && expected.includes(actual);
  }
}

/** A list of conditions is an AND; an empty list always matches. */
export function matchesAll(conditions: readonly Condition[] | undefined, facts: Facts): boolean {
  return (conditions ?? []).every((c) => evaluateCondition(c, facts));
}
