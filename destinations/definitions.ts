import fs from 'node:fs';
import path from 'node:path';
import type { DestinationDefinition, GlobalSetting, Preset } from '@segment/actions-core';

/**
 * Loads Segment's destination definitions one slug at a time. The package's index requires all ~220
 * definitions (and one of them a module the package does not ship), so we never import it.
 */
const DEFINITIONS_DIR = path.dirname(require.resolve('@segment/action-destinations/dist/destinations/webhook'));
const ROOT = path.dirname(DEFINITIONS_DIR);

export interface AudienceConfig {
  createAudience?: unknown;
  getAudience?: unknown;
}

/** The parts of a definition Sojourn reads; list destinations add `audienceConfig` and `audienceFields`. */
export type LoadedDefinition = DestinationDefinition<Record<string, unknown>> & {
  audienceConfig?: AudienceConfig;
  audienceFields?: Record<string, GlobalSetting>;
  presets?: Preset[];
};

const cache = new Map<string, LoadedDefinition | null>();

export function isSlug(value: string): boolean {
  return /^[a-z0-9][a-z0-9-]*$/.test(value);
}

/** All slugs present on disk (some may still fail to load; `loadDefinition` tells). */
export function listSlugs(): string[] {
  return fs
    .readdirSync(ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && isSlug(entry.name))
    .map((entry) => entry.name)
    .sort();
}

export function loadDefinition(slug: string): LoadedDefinition | null {
  if (!isSlug(slug)) return null;
  const cached = cache.get(slug);
  if (cached !== undefined) return cached;
  let definition: LoadedDefinition | null = null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS definitions, loaded by slug
    const mod = require(path.join(ROOT, slug)) as { default?: LoadedDefinition };
    if (mod.default && mod.default.mode === 'cloud' && mod.default.actions) definition = mod.default;
  } catch {
    definition = null;
  }
  cache.set(slug, definition);
  return definition;
}

export function isListDefinition(definition: LoadedDefinition): boolean {
  return definition.audienceConfig !== undefined;
}

/** Settings fields: the authentication fields are where Actions definitions keep their settings. */
export function settingsFields(definition: LoadedDefinition): Record<string, GlobalSetting> {
  return (definition.authentication?.fields ?? {}) as Record<string, GlobalSetting>;
}

export function secretSettingKeys(definition: LoadedDefinition): string[] {
  return Object.entries(settingsFields(definition))
    .filter(([, field]) => field.type === 'password')
    .map(([key]) => key);
}
