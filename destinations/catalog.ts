import { isListDefinition, listSlugs, loadDefinition, settingsFields, type LoadedDefinition } from './definitions';

export interface CatalogField {
  key: string;
  label: string;
  type: string;
  required: boolean;
  secret: boolean;
  description?: string;
}

export interface CatalogEntry {
  slug: string;
  name: string;
  description?: string;
  kind: 'event' | 'list';
  settings: CatalogField[];
  audienceSettings: CatalogField[];
  actions: Array<{ key: string; title: string; description?: string; fields: CatalogField[] }>;
  presets: Array<{ name?: string; partnerAction: string; subscribe?: string }>;
}

interface FieldLike {
  label?: string;
  type?: string;
  required?: boolean | object;
  description?: string;
}

function toFields(fields: Record<string, FieldLike> | undefined): CatalogField[] {
  return Object.entries(fields ?? {}).map(([key, field]) => ({
    key,
    label: field.label ?? key,
    type: field.type ?? 'string',
    required: field.required === true,
    secret: field.type === 'password',
    ...(field.description ? { description: field.description } : {}),
  }));
}

export function describeDefinition(slug: string, definition: LoadedDefinition): CatalogEntry {
  return {
    slug,
    name: definition.name,
    ...(definition.description ? { description: definition.description } : {}),
    kind: isListDefinition(definition) ? 'list' : 'event',
    settings: toFields(settingsFields(definition) as Record<string, FieldLike>),
    audienceSettings: toFields(definition.audienceFields as Record<string, FieldLike> | undefined),
    actions: Object.entries(definition.actions).map(([key, action]) => ({
      key,
      title: action.title,
      ...(action.description ? { description: action.description } : {}),
      fields: toFields(action.fields as Record<string, FieldLike>),
    })),
    presets: (definition.presets ?? []).map((preset) => ({
      ...(preset.name ? { name: preset.name } : {}),
      partnerAction: preset.partnerAction,
      ...('subscribe' in preset ? { subscribe: preset.subscribe } : {}),
    })),
  };
}

let catalog: CatalogEntry[] | undefined;

/** Every definition that loads, described once per process (loading all takes about 1.5 s). */
export function getCatalog(): CatalogEntry[] {
  if (!catalog) {
    catalog = listSlugs().flatMap((slug) => {
      const definition = loadDefinition(slug);
      return definition ? [describeDefinition(slug, definition)] : [];
    });
  }
  return catalog;
}
