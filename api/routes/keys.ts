import { Router } from 'express';
import { z } from 'zod';
import type { KeyStore } from '../../security/api-keys';
import { notFound, parseWith } from '../errors';

export const CreateKeySchema = z
  .object({
    kind: z
      .enum(['management', 'write'])
      .describe('management: Bearer key for /v1 management calls; write: Segment write key for ingestion'),
    name: z.string().trim().min(1).max(200).describe('what the key is for, e.g. "CI" or "web app"'),
  })
  .strict();

export const KeyIdParam = z.string().regex(/^key_[a-z0-9]{1,40}$/, 'must be a key id (key_…)');

/** Admin endpoint for stored keys; the key itself is only in the creation response. */
export function keysRouter(store: KeyStore): Router {
  const router = Router();
  router.post('/keys', async (req, res) => {
    const body = parseWith(CreateKeySchema, req.body);
    res.status(201).json(await store.create(body.kind, body.name));
  });
  router.get('/keys', async (_req, res) => {
    res.json({ keys: await store.list() });
  });
  router.delete('/keys/:id', async (req, res) => {
    const id = req.params.id;
    if (!KeyIdParam.safeParse(id).success) throw notFound('key', id);
    const row = await store.revoke(id);
    if (!row) throw notFound('key', id);
    res.json(row);
  });
  return router;
}
