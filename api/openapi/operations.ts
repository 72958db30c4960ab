import { z } from 'zod';
import { BatchSchema, IdentifySchema, TrackSchema } from '../../ingest/schema';
import { JourneyDefinitionSchema } from '../../journeys/schema';
import { CodecBodySchema } from '../routes/codec';
import { DeliveriesQuery } from '../routes/deliveries';
import { CreateDestinationSchema, UpdateDestinationSchema } from '../routes/destinations';
import { EntriesSchema } from '../routes/journeys';
import { CreateKeySchema } from '../routes/keys';
import { ProfileBody } from '../routes/profiles';
import { TestEventSchema } from '../routes/test-event';
import { CreateTraitSchema, TraitBody } from '../routes/traits';
import * as R from './responses';

export type Auth = 'management' | 'write' | 'codec' | 'codec-token' | 'none';

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** Express form (`/v1/journeys/:id`). */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: Auth;
  params?: Record<string, string>;
  query?: z.ZodObject;
  body?: z.ZodType;
  ok: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  /** Statuses beyond those every operation of its kind has (see document.ts). */
  errors?: Record<number, string>;
}

const CatalogQuery = z.object({ kind: z.enum(['event', 'list']).optional() });
const codecOk = { status: 200, description: 'the payloads, converted', schema: CodecBodySchema };
const preflightOk = { status: 204, description: 'CORS preflight answer for an allowed origin' };

const lifecycle = (action: string, what: string): Operation => ({
  method: 'POST',
  path: `/v1/journeys/:id/${action}`,
  summary: what,
  tag: 'Journeys',
  auth: 'management',
  params: { id: 'journey id' },
  ok: { status: 200, description: 'the journey', schema: R.JourneyBody },
  errors: { 409: 'not allowed in the journey’s current status' },
});

/**
 * Every operation Sojourn may serve. The served document lists those the running app has (routes
 * still being built are described here ahead of time and appear once they exist); a test fails for
 * any route that has no entry here.
 */
export const OPERATIONS: Operation[] = [
  {
    method: 'GET',
    path: '/healthz',
    summary: 'Liveness',
    tag: 'Operations',
    auth: 'none',
    ok: { status: 200, description: '`{ok: true}`' },
  },
  {
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics',
    tag: 'Operations',
    auth: 'none',
    ok: { status: 200, description: 'Prometheus text format', contentType: 'text/plain' },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    tag: 'Operations',
    auth: 'none',
    ok: { status: 200, description: 'OpenAPI 3.1' },
  },
  {
    method: 'GET',
    path: '/docs',
    summary: 'API reference page (renders this document)',
    tag: 'Operations',
    auth: 'none',
    ok: { status: 200, description: 'HTML', contentType: 'text/html' },
  },

  {
    method: 'GET',
    path: '/v1/catalog',
    summary: 'Destination definitions available',
    tag: 'Catalog',
    auth: 'management',
    query: CatalogQuery,
    ok: { status: 200, description: 'the catalog', schema: R.CatalogBody },
  },
  {
    method: 'GET',
    path: '/v1/catalog/:slug',
    summary: 'One destination definition in full',
    tag: 'Catalog',
    auth: 'management',
    params: { slug: 'catalog slug, e.g. webhook' },
    ok: { status: 200, description: 'settings fields, actions, presets', schema: R.AnyObject },
  },

  {
    method: 'POST',
    path: '/v1/destinations',
    summary: 'Create a destination instance',
    tag: 'Destinations',
    auth: 'management',
    body: CreateDestinationSchema,
    description:
      'Secret settings are stored encrypted and never returned. URLs in settings and mappings may not point at private, loopback or link-local addresses unless SOJOURN_ALLOWED_NETWORKS allows them (`unsafe_url`).',
    ok: { status: 201, description: 'the destination, secrets redacted', schema: R.DestinationBody },
  },
  {
    method: 'GET',
    path: '/v1/destinations/:id',
    summary: 'Read a destination',
    tag: 'Destinations',
    auth: 'management',
    params: { id: 'destination id' },
    ok: { status: 200, description: 'the destination, secrets redacted', schema: R.DestinationBody },
  },
  {
    method: 'GET',
    path: '/v1/destinations',
    summary: 'List destinations',
    tag: 'Destinations',
    auth: 'management',
    ok: { status: 200, description: 'every destination, secrets redacted', schema: R.DestinationsBody },
  },
  {
    method: 'PATCH',
    path: '/v1/destinations/:id',
    summary: 'Change a destination: name, settings, subscriptions, rate limit',
    tag: 'Destinations',
    auth: 'management',
    params: { id: 'destination id' },
    body: UpdateDestinationSchema,
    description:
      'Settings merge key by key (null removes a key), so one secret can be rotated alone. `subscriptions: null` returns to the presets, `rateLimit: null` to the vendor default. Workers pick the change up within 5 seconds.',
    ok: { status: 200, description: 'the destination, secrets redacted', schema: R.DestinationBody },
  },
  {
    method: 'POST',
    path: '/v1/destinations/:id/test-event',
    summary: 'Event tester: send the payload a step would send',
    tag: 'Destinations',
    auth: 'management',
    params: { id: 'destination id' },
    body: TestEventSchema,
    ok: { status: 200, description: 'what was sent and every response', schema: R.TestEventBody },
  },

  {
    method: 'POST',
    path: '/v1/journeys',
    summary: 'Create a journey (draft)',
    tag: 'Journeys',
    auth: 'management',
    body: JourneyDefinitionSchema,
    ok: { status: 201, description: 'the journey with ids and step keys', schema: R.JourneyBody },
  },
  {
    method: 'GET',
    path: '/v1/journeys/:id',
    summary: 'Read a journey',
    tag: 'Journeys',
    auth: 'management',
    params: { id: 'journey id' },
    ok: { status: 200, description: 'the journey', schema: R.JourneyBody },
  },
  {
    method: 'PUT',
    path: '/v1/journeys/:id',
    summary: 'New draft version',
    tag: 'Journeys',
    auth: 'management',
    params: { id: 'journey id' },
    body: JourneyDefinitionSchema,
    ok: { status: 200, description: 'the journey', schema: R.JourneyBody },
    errors: { 409: 'archived journeys cannot change' },
  },
  lifecycle('publish', 'Publish the current version'),
  lifecycle('pause', 'Pause: no new entries, current runs continue'),
  lifecycle('archive', 'Archive: runs end'),
  {
    method: 'POST',
    path: '/v1/journeys/:id/entries',
    summary: 'Enter users (entry type api)',
    tag: 'Journeys',
    auth: 'management',
    params: { id: 'journey id' },
    body: EntriesSchema,
    ok: { status: 202, description: 'one result per user, with its workflow id', schema: R.EntriesBody },
    errors: { 409: 'the journey is not published or not entered through the API' },
  },
  {
    method: 'GET',
    path: '/v1/journeys/:id/runs/:userId',
    summary: 'Where a user is in a journey',
    tag: 'Journeys',
    auth: 'management',
    params: { id: 'journey id', userId: 'user id' },
    ok: { status: 200, description: 'current step, steps passed, deliveries', schema: R.RunBody },
  },
  {
    method: 'GET',
    path: '/v1/deliveries',
    summary: 'Event lifecycle log',
    tag: 'Deliveries',
    auth: 'management',
    query: DeliveriesQuery,
    ok: { status: 200, description: 'delivery attempts, newest first', schema: R.DeliveriesBody },
  },
  {
    method: 'GET',
    path: '/v1/profiles/:userId',
    summary: 'A profile: traits, computed traits, identifiers',
    tag: 'Profiles',
    auth: 'management',
    params: { userId: 'user id' },
    ok: { status: 200, description: 'the profile', schema: ProfileBody },
  },
  {
    method: 'POST',
    path: '/v1/traits',
    summary: 'Define a computed, SQL or predictive trait',
    tag: 'Traits',
    auth: 'management',
    body: CreateTraitSchema,
    ok: { status: 201, description: 'the trait', schema: TraitBody },
    errors: { 409: 'a trait with this key exists' },
  },
  {
    method: 'GET',
    path: '/v1/traits',
    summary: 'List traits',
    tag: 'Traits',
    auth: 'management',
    ok: { status: 200, description: 'every trait', schema: z.object({ traits: z.array(TraitBody) }) },
  },
  {
    method: 'GET',
    path: '/v1/traits/:key',
    summary: 'Read a trait, with its fit for predictive ones',
    tag: 'Traits',
    auth: 'management',
    params: { key: 'trait key' },
    ok: { status: 200, description: 'the trait', schema: TraitBody },
  },
  {
    method: 'POST',
    path: '/v1/traits/:key/refit',
    summary: 'Refit a predictive trait now',
    tag: 'Traits',
    auth: 'management',
    params: { key: 'trait key' },
    ok: {
      status: 200,
      description: 'the trait and the fit result',
      schema: TraitBody.extend({ result: z.unknown() }),
    },
    errors: { 400: 'not a predictive trait' },
  },

  {
    method: 'POST',
    path: '/v1/keys',
    summary: 'Create an API key or write key',
    tag: 'Keys',
    auth: 'management',
    body: CreateKeySchema,
    ok: { status: 201, description: 'the key record and, only here, the key', schema: R.CreatedKeyBody },
  },
  {
    method: 'GET',
    path: '/v1/keys',
    summary: 'List stored keys (never the keys themselves)',
    tag: 'Keys',
    auth: 'management',
    ok: { status: 200, description: 'the keys', schema: z.object({ keys: z.array(R.KeyBody) }) },
  },
  {
    method: 'DELETE',
    path: '/v1/keys/:id',
    summary: 'Revoke a stored key',
    tag: 'Keys',
    auth: 'management',
    params: { id: 'key id (key_…)' },
    ok: { status: 200, description: 'the revoked key', schema: R.KeyBody },
  },

  {
    method: 'POST',
    path: '/v1/identify',
    summary: 'Segment identify',
    tag: 'Ingestion',
    auth: 'write',
    body: IdentifySchema,
    ok: { status: 200, description: 'accepted', schema: R.AcceptedBody },
  },
  {
    method: 'POST',
    path: '/v1/track',
    summary: 'Segment track',
    tag: 'Ingestion',
    auth: 'write',
    body: TrackSchema,
    ok: { status: 200, description: 'accepted', schema: R.AcceptedBody },
  },
  {
    method: 'POST',
    path: '/v1/batch',
    summary: 'Segment batch (up to 500 KB, 32 KB per event)',
    tag: 'Ingestion',
    auth: 'write',
    body: BatchSchema,
    ok: { status: 200, description: 'accepted', schema: R.AcceptedBody },
  },

  ...(['decode', 'encode'] as const).flatMap((direction): Operation[] => [
    {
      method: 'POST',
      path: `/codec/${direction}`,
      summary: `Temporal remote codec: ${direction} payloads`,
      tag: 'Codec',
      auth: 'codec',
      body: CodecBodySchema,
      ok: codecOk,
    },
    {
      method: 'POST',
      path: `/codec/t/:token/${direction}`,
      summary: `Temporal remote codec for the Web UI: ${direction} payloads`,
      tag: 'Codec',
      auth: 'codec-token',
      description:
        'The Temporal UI cannot send an API key, so its codec endpoint URL carries the codec token (SOJOURN_CODEC_TOKEN).',
      params: { token: 'codec token' },
      body: CodecBodySchema,
      ok: codecOk,
    },
    {
      method: 'OPTIONS',
      path: `/codec/${direction}`,
      summary: 'CORS preflight',
      tag: 'Codec',
      auth: 'none',
      ok: preflightOk,
      errors: { 403: 'origin not in SOJOURN_CODEC_CORS_ORIGINS' },
    },
    {
      method: 'OPTIONS',
      path: `/codec/t/:token/${direction}`,
      summary: 'CORS preflight',
      tag: 'Codec',
      auth: 'none',
      params: { token: 'codec token' },
      ok: preflightOk,
      errors: { 403: 'origin not in SOJOURN_CODEC_CORS_ORIGINS' },
    },
  ]),
];
