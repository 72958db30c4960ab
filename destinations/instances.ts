import type { Subscription } from '@segment/actions-core';
import { findDestination, type DestinationRow } from '../db/destinations';
import type { Queryable } from '../db/queryable';
import type { SecretBox } from '../security/secret-box';
import { loadDefinition, secretSettingKeys, type LoadedDefinition } from './definitions';
import { effectiveRateLimit } from './rate-limits';
import { REDACTED } from './redact';
import { rateGate } from './request-gate';
import type { DestinationInstance } from './run-event';

/** Splits settings into what may be stored in clear and the secret part, sealed. */
export function sealSettings(
  definition: LoadedDefinition,
  settings: Record<string, unknown>,
  box: SecretBox,
): { settings: Record<string, unknown>; settingsSecret: string | null } {
  const secretKeys = new Set(secretSettingKeys(definition));
  const open: Record<string, unknown> = {};
  const secret: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) (secretKeys.has(key) ? secret : open)[key] = value;
  return {
    settings: open,
    settingsSecret: Object.keys(secret).length > 0 ? box.encrypt(JSON.stringify(secret)) : null,
  };
}

/** Every setting, the secret ones unsealed: what the runtime gets, and what an update starts from. */
export function allSettings(row: DestinationRow, box: SecretBox): Record<string, unknown> {
  const secret = row.settingsSecret
    ? (JSON.parse(box.decrypt(row.settingsSecret)) as Record<string, unknown>)
    : {};
  return { ...row.settings, ...secret };
}

/** Settings as the API shows them: secret fields that are set read as "[redacted]". */
export function publicSettings(
  row: DestinationRow,
  definition: LoadedDefinition | null,
): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...row.settings };
  if (row.settingsSecret && definition) {
    for (const key of secretSettingKeys(definition)) shown[key] = REDACTED;
  }
  return shown;
}

export function toInstance(row: DestinationRow, box: SecretBox): DestinationInstance {
  const definition = loadDefinition(row.slug);
  if (!definition) throw new Error(`destination ${row.id}: definition "${row.slug}" is not available`);
  return {
    id: row.id,
    slug: row.slug,
    definition,
    settings: allSettings(row, box),
    subscriptions: row.subscriptions as Subscription[] | null,
  };
}

/** The instance with its rate limit attached: every request it makes first reserves a shared slot. */
export function toGatedInstance(
  row: DestinationRow,
  box: SecretBox,
  db: Queryable,
  defaultRateLimit: number,
): DestinationInstance {
  const limit = effectiveRateLimit(row.slug, row.rateLimit, defaultRateLimit);
  const gate = rateGate(db, row.id, limit.requestsPerSecond);
  return { ...toInstance(row, box), ...(gate ? { gate } : {}) };
}

const CACHE_MS = 5_000;

/** Workers look an instance up per delivery; a short cache spares PostgreSQL without hiding edits for long. */
export function instanceLoader(
  db: Queryable,
  box: SecretBox,
  defaultRateLimit = 0,
): (id: string) => Promise<DestinationInstance | undefined> {
  const cache = new Map<string, { at: number; instance: DestinationInstance }>();
  return async (id) => {
    const hit = cache.get(id);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.instance;
    const row = await findDestination(db, id);
    if (!row) return undefined;
    const instance = toGatedInstance(row, box, db, defaultRateLimit);
    cache.set(id, { at: Date.now(), instance });
    return instance;
  };
}
