import { valueOf } from '../traits/computed';
import type { ComputedTrait, SqlTrait, TraitType } from '../traits/definitions';
import type { Db } from './pool';
import { readComputedAggregates } from './trait-computed';
import { scoresOf } from './trait-predictive';
import { sqlTraitValue } from './trait-sql';
import { findTraits, listTraits, type TraitRow } from './traits';

/**
 * The values of defined traits (computed, SQL, predictive) for one user, by trait key. A trait the
 * user has no value for is absent from the result, never null (SPEC §3).
 */
export type TraitValues = Record<TraitType, Record<string, unknown>>;

/** A SQL trait's value: its one value column, or all of them as an object when there are several. */
function sqlValue(row: Record<string, unknown> | undefined): unknown {
  if (!row) return undefined;
  const present = Object.entries(row).filter(([, v]) => v !== null && v !== undefined);
  if (Object.keys(row).length === 1) return present[0]?.[1];
  return present.length > 0 ? Object.fromEntries(present) : undefined;
}

async function valuesOf(
  pool: Db,
  traits: readonly TraitRow[],
  userId: string,
  log: (m: string) => void,
): Promise<TraitValues> {
  const out: TraitValues = { computed: {}, sql: {}, predictive: {} };
  const computed = traits.filter((t) => t.type === 'computed');
  const aggregates = await readComputedAggregates(pool, computed, userId);
  for (const trait of computed) {
    const value = valueOf((trait.definition as ComputedTrait).computation, aggregates.get(trait.key));
    if (value !== undefined && value !== null) out.computed[trait.key] = value;
  }
  for (const trait of traits.filter((t) => t.type === 'sql')) {
    try {
      const definition = trait.definition as SqlTrait;
      const value = sqlValue(await sqlTraitValue(pool, definition, definition.query, userId));
      if (value !== undefined) out.sql[trait.key] = value;
    } catch (error) {
      // A query that fails now (grown too slow, say) leaves its trait out rather than stall the send.
      log(`SQL trait "${trait.key}" failed for user "${userId}": ${(error as Error).message}`);
    }
  }
  const scores = await scoresOf(
    pool,
    traits.filter((t) => t.type === 'predictive').map((t) => t.key),
    userId,
  );
  for (const [key, score] of scores) out.predictive[key] = score;
  return out;
}

/** Every defined trait's value for the profile page. */
export async function allTraitValues(
  pool: Db,
  userId: string,
  log: (m: string) => void = console.warn,
): Promise<TraitValues> {
  return valuesOf(pool, await listTraits(pool), userId, log);
}

/**
 * Values for the names an enrichment mapping uses. A name is a trait key, or `key.column` for one
 * column of a SQL trait with several; names that are no defined trait are left to the caller
 * (custom traits). A defined trait wins over a custom trait of the same name.
 */
export async function definedTraitValues(
  pool: Db,
  userId: string,
  names: readonly string[],
  log: (m: string) => void = console.warn,
): Promise<{ values: Map<string, unknown>; defined: Set<string> }> {
  const keys = [...new Set(names.flatMap((n) => [n, n.split('.')[0] ?? n]))];
  const traits = await findTraits(pool, keys);
  const byKey = new Map(traits.map((t) => [t.key, t]));
  const found = await valuesOf(pool, traits, userId, log);
  const values = new Map<string, unknown>();
  const defined = new Set<string>();
  for (const name of names) {
    const exact = byKey.get(name);
    if (exact) {
      defined.add(name);
      const value = found[exact.type][name];
      if (value !== undefined) values.set(name, value);
      continue;
    }
    const [key, column] = [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)];
    const sql = name.includes('.') ? byKey.get(key) : undefined;
    if (sql?.type === 'sql') {
      defined.add(name);
      const row = found.sql[key];
      const value =
        row !== null && typeof row === 'object' ? (row as Record<string, unknown>)[column] : undefined;
      if (value !== undefined && value !== null) values.set(name, value);
    }
  }
  return { values, defined };
}
