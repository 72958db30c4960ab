import { findProfile } from '../db/profiles';
import { definedTraitValues } from '../db/trait-values';
import { selectIdentifiers, type IdSyncRule } from '../journeys/id-sync';
import type { ActivityDeps } from './deps';

/**
 * Trait Enrichment: destination field → the trait's value. A mapped name is a defined trait's key
 * (computed, SQL or predictive; db/trait-values.ts) or else a custom trait of the profile; absent
 * traits are left out, never null.
 */
export function makeEnrichTraits(deps: ActivityDeps) {
  return async function enrichTraits(input: { userId: string; mapping: Record<string, string> }): Promise<Record<string, unknown>> {
    const profile = await findProfile(deps.db, input.userId);
    const defined = await definedTraitValues(deps.db, input.userId, Object.values(input.mapping));
    const enriched: Record<string, unknown> = {};
    for (const [field, trait] of Object.entries(input.mapping)) {
      const value = defined.defined.has(trait) ? defined.values.get(trait) : profile?.traits[trait];
      if (value !== undefined && value !== null) enriched[field] = value;
    }
    return enriched;
  };
}

/** ID Sync: the identifier values to deliver, one event each. */
export function makeResolveIdentifiers(deps: ActivityDeps) {
  return async function resolveIdentifiers(input: {
    userId: string;
    idSync?: IdSyncRule[];
  }): Promise<Array<{ type: string; value: string }>> {
    const profile = await findProfile(deps.db, input.userId);
    const known = profile?.identifiers ?? [];
    // A user always has at least their user id, even before any identify call.
    const withUserId = known.some((i) => i.type === 'user_id')
      ? known
      : [...known, { type: 'user_id', value: input.userId, firstSeen: new Date(0) }];
    return selectIdentifiers(withUserId, input.idSync);
  };
}

/** The named traits only, for split conditions. */
export function makeGetTraits(deps: ActivityDeps) {
  return async function getTraits(input: { userId: string; names: string[] }): Promise<Record<string, unknown>> {
    const profile = await findProfile(deps.db, input.userId);
    const picked: Record<string, unknown> = {};
    for (const name of input.names) {
      if (profile && name in profile.traits) picked[name] = profile.traits[name];
    }
    return picked;
  };
}
