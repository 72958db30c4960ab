import fs from 'node:fs';
import path from 'node:path';
import { Router, type Express } from 'express';
import { buildDocument } from './document';
import { listRoutes } from './route-list';

const DOCS_HTML = path.join(__dirname, 'docs.html');

/** `/openapi.json` (built once, from the routes the app really has) and `/docs`, a page that renders it. */
export function docsRouter(): Router {
  const router = Router();
  let document: string | undefined;
  router.get('/openapi.json', (req, res) => {
    document ??= JSON.stringify(buildDocument(listRoutes(req.app as Express)));
    res.type('application/json').send(document);
  });
  router.get('/docs', (_req, res) => {
    res
      .type('html')
      .set(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
      )
      .send(fs.readFileSync(DOCS_HTML, 'utf8'));
  });
  return router;
}
