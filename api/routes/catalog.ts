import { Router } from 'express';
import { describeDefinition, getCatalog } from '../../destinations/catalog';
import { loadDefinition } from '../../destinations/definitions';
import { notFound } from '../errors';

export function catalogRouter(): Router {
  const router = Router();
  router.get('/catalog', (req, res) => {
    const kind = typeof req.query.kind === 'string' ? req.query.kind : undefined;
    const entries = getCatalog().filter((e) => kind === undefined || e.kind === kind);
    // The list is a summary; one entry's full description is at /catalog/:slug.
    res.json({
      destinations: entries.map((e) => ({
        slug: e.slug,
        name: e.name,
        kind: e.kind,
        settings: e.settings,
        actions: e.actions.map((a) => ({ key: a.key, title: a.title })),
      })),
    });
  });
  router.get('/catalog/:slug', (req, res) => {
    const definition = loadDefinition(req.params.slug);
    if (!definition) throw notFound('destination definition', req.params.slug);
    res.json(describeDefinition(req.params.slug, definition));
  });
  return router;
}
