import { Router } from 'express';
import { z } from 'zod';
import { eventsOfUser } from '../../db/events';
import { findProfile } from '../../db/profiles';
import { allTraitValues } from '../../db/trait-values';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';

const RECENT_EVENTS = 50;

/** What `GET /v1/profiles/:userId` answers (for the OpenAPI document). */
export const ProfileBody = z.object({
  userId: z.string(),
  traits: z.record(z.string(), z.unknown()).describe('custom traits, from identify calls and API entries'),
  computedTraits: z.record(z.string(), z.unknown()).describe('computed trait key → current value'),
  sqlTraits: z.record(z.string(), z.unknown()).describe('SQL trait key → cached value'),
  predictiveTraits: z.record(z.string(), z.number()).describe('predictive trait key → score in [0, 1]'),
  identifiers: z.array(z.object({ type: z.string(), value: z.string(), firstSeen: z.string() })),
  events: z
    .array(
      z.object({
        messageId: z.string(),
        type: z.string(),
        event: z.string().nullable(),
        timestamp: z.string(),
      }),
    )
    .describe(`the newest ${RECENT_EVENTS}`),
});

/** A profile: custom, computed, SQL and predictive traits, every identifier value, recent events. */
export function profilesRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/profiles/:userId', async (req, res) => {
    const profile = await findProfile(deps.db, req.params.userId);
    if (!profile) throw notFound('profile', req.params.userId);
    const values = await allTraitValues(deps.db, profile.userId);
    const events = await eventsOfUser(deps.db, profile.userId, RECENT_EVENTS);
    res.json({
      userId: profile.userId,
      traits: profile.traits,
      computedTraits: values.computed,
      sqlTraits: values.sql,
      predictiveTraits: values.predictive,
      identifiers: profile.identifiers.map((i) => ({
        type: i.type,
        value: i.value,
        firstSeen: new Date(i.firstSeen).toISOString(),
      })),
      events: events.map((e) => ({
        messageId: e.messageId,
        type: e.type,
        event: e.event,
        timestamp: new Date(e.timestamp).toISOString(),
      })),
    });
  });
  return router;
}
