import { Destination, type Subscription } from '@segment/actions-core';
import { parseFql } from '@segment/destination-subscriptions';
import { Router } from 'express';
import { z } from 'zod';
import {
  findDestination,
  insertDestination,
  listDestinations,
  updateDestination,
  type DestinationRow,
} from '../../db/destinations';
import { isListDefinition, loadDefinition, type LoadedDefinition } from '../../destinations/definitions';
import { allSettings, publicSettings, sealSettings } from '../../destinations/instances';
import { effectiveRateLimit } from '../../destinations/rate-limits';
import { effectiveSubscriptions } from '../../destinations/subscriptions';
import type { ApiDeps } from '../deps';
import { ApiError, notFound, parseWith } from '../errors';
import { newId } from '../ids';
import { assertSafeUrls } from '../url-guard';

const SubscriptionSchema = z.object({
  name: z.string().max(200).optional(),
  subscribe: z.string().min(1).max(2000),
  partnerAction: z.string().min(1).max(200),
  mapping: z.record(z.string(), z.unknown()).optional(),
});

export const CreateDestinationSchema = z.object({
  name: z.string().trim().min(1).max(200),
  destination: z.string().min(1).max(100),
  settings: z.record(z.string(), z.unknown()).default({}),
  subscriptions: z.array(SubscriptionSchema).min(1).max(50).optional(),
  /** Requests per second across all workers; omitted: the vendor's default; 0: unlimited (SPEC §5). */
  rateLimit: z.number().min(0).max(100_000).optional(),
});

/**
 * A partial update. Settings merge key by key (a key set to null is removed), so a secret can be
 * rotated without sending the others again; `subscriptions: null` goes back to the definition's
 * presets, `rateLimit: null` to the vendor default. The catalog slug cannot change.
 */
export const UpdateDestinationSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
    subscriptions: z.array(SubscriptionSchema).min(1).max(50).nullable().optional(),
    rateLimit: z.number().min(0).max(100_000).nullable().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'give at least one of name, settings, subscriptions, rateLimit',
  });

function mergeSettings(
  current: Record<string, unknown>,
  change: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function requireSubscriptionsOrPresets(definition: LoadedDefinition): void {
  if (effectiveSubscriptions(definition, null).length === 0) {
    throw new ApiError(
      400,
      'subscriptions_required',
      `${definition.name} has no presets: give "subscriptions" (e.g. [{"subscribe": "type = \\"track\\" or type = \\"identify\\"", "partnerAction": "${Object.keys(definition.actions)[0] ?? 'send'}", "mapping": {...}}])`,
    );
  }
}

function checkSubscriptions(
  definition: LoadedDefinition,
  subscriptions: z.infer<typeof SubscriptionSchema>[],
): void {
  subscriptions.forEach((s, i) => {
    if (!definition.actions[s.partnerAction]) {
      const known = Object.keys(definition.actions).join(', ');
      throw new ApiError(
        400,
        'invalid_request',
        `subscriptions[${i}].partnerAction: "${s.partnerAction}" is not an action of ${definition.name} (${known})`,
      );
    }
    const parsed = parseFql(s.subscribe);
    if ('error' in parsed && parsed.error) {
      throw new ApiError(400, 'invalid_request', `subscriptions[${i}].subscribe: ${parsed.error.message}`);
    }
  });
}

function checkSettings(definition: LoadedDefinition, settings: Record<string, unknown>): void {
  try {
    new Destination(definition).validateSettings(settings);
  } catch (error) {
    throw new ApiError(400, 'invalid_settings', `settings: ${(error as Error).message}`);
  }
}

export function presentDestination(row: DestinationRow, defaultRateLimit: number) {
  const definition = loadDefinition(row.slug);
  return {
    id: row.id,
    name: row.name,
    destination: row.slug,
    kind: definition && isListDefinition(definition) ? 'list' : 'event',
    settings: publicSettings(row, definition),
    subscriptions: row.subscriptions,
    rateLimit: effectiveRateLimit(row.slug, row.rateLimit, defaultRateLimit),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function destinationsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/destinations', async (req, res) => {
    const body = parseWith(CreateDestinationSchema, req.body);
    const definition = loadDefinition(body.destination);
    if (!definition) {
      throw new ApiError(
        400,
        'unknown_destination',
        `"${body.destination}" is not in the catalog (GET /v1/catalog lists the slugs)`,
      );
    }
    checkSettings(definition, body.settings);
    await assertSafeUrls(
      { settings: body.settings, subscriptions: body.subscriptions ?? [] },
      deps.config.allowedNetworks,
    );
    if (body.subscriptions) checkSubscriptions(definition, body.subscriptions);
    else requireSubscriptionsOrPresets(definition);
    const sealed = sealSettings(definition, body.settings, deps.secretBox);
    const row = await insertDestination(deps.db, {
      id: newId('dst'),
      name: body.name,
      slug: body.destination,
      ...sealed,
      // Validated JSON from the request: the runtime's own subscription shape.
      subscriptions: (body.subscriptions ?? null) as Subscription[] | null,
      rateLimit: body.rateLimit ?? null,
    });
    res.status(201).json(presentDestination(row, deps.config.defaultRateLimit));
  });
  router.get('/destinations', async (_req, res) => {
    const rows = await listDestinations(deps.db);
    res.json({ destinations: rows.map((row) => presentDestination(row, deps.config.defaultRateLimit)) });
  });
  router.patch('/destinations/:id', async (req, res) => {
    const body = parseWith(UpdateDestinationSchema, req.body);
    const row = await findDestination(deps.db, req.params.id);
    if (!row) throw notFound('destination', req.params.id);
    const definition = loadDefinition(row.slug);
    if (!definition)
      throw new ApiError(409, 'definition_unavailable', `"${row.slug}" is no longer in the catalog`);
    const change: Parameters<typeof updateDestination>[2] = {};
    if (body.name !== undefined) change.name = body.name;
    if (body.rateLimit !== undefined) change.rateLimit = body.rateLimit;
    const subscriptions = body.subscriptions === undefined ? row.subscriptions : body.subscriptions;
    if (body.subscriptions) checkSubscriptions(definition, body.subscriptions);
    else if (body.subscriptions === null) requireSubscriptionsOrPresets(definition);
    if (body.subscriptions !== undefined) change.subscriptions = body.subscriptions as Subscription[] | null;
    const settings = body.settings
      ? mergeSettings(allSettings(row, deps.secretBox), body.settings)
      : undefined;
    if (settings) checkSettings(definition, settings);
    // Everything the destination will reach is checked again, as on create (SSRF).
    await assertSafeUrls(
      { settings: settings ?? {}, subscriptions: subscriptions ?? [] },
      deps.config.allowedNetworks,
    );
    if (settings) Object.assign(change, sealSettings(definition, settings, deps.secretBox));
    const updated = await updateDestination(deps.db, row.id, change);
    if (!updated) throw notFound('destination', req.params.id);
    res.json(presentDestination(updated, deps.config.defaultRateLimit));
  });
  router.get('/destinations/:id', async (req, res) => {
    const row = await findDestination(deps.db, req.params.id);
    if (!row) throw notFound('destination', req.params.id);
    res.json(presentDestination(row, deps.config.defaultRateLimit));
  });
  return router;
}
