import { Router, type Request } from 'express';
import { requireWriteKey } from '../auth';
import type { ApiDeps } from '../deps';
import { parseWith } from '../errors';
import { BatchSchema, IdentifySchema, TrackSchema } from '../../ingest/schema';
import { ingest, normalizeCall } from '../ingest/pipeline';

/** Segment's answer to every accepted call; analytics-node only checks the status. */
const ACCEPTED = { success: true };

/**
 * The Segment Tracking API (SPEC §4): identify, track and batch, authenticated by the write key as the
 * HTTP Basic user name, so @segment/analytics-node pointed at Sojourn works unchanged.
 */
export function ingestRouter(deps: ApiDeps): Router {
  const router = Router();
  const auth = requireWriteKey(deps.writeKey);
  const receivedAt = (_req: Request) => new Date();

  router.post('/identify', auth, async (req, res) => {
    const call = parseWith(IdentifySchema, req.body);
    await ingest(deps, normalizeCall('identify', call, receivedAt(req)));
    res.json(ACCEPTED);
  });
  router.post('/track', auth, async (req, res) => {
    const call = parseWith(TrackSchema, req.body);
    await ingest(deps, normalizeCall('track', call, receivedAt(req)));
    res.json(ACCEPTED);
  });
  router.post('/batch', auth, async (req, res) => {
    const body = parseWith(BatchSchema, req.body);
    // Validated as a whole first: a batch with one bad item changes nothing.
    for (const item of body.batch) {
      const context = { ...body.context, ...item.context };
      await ingest(deps, normalizeCall(item.type, { ...item, context, event: 'event' in item ? item.event : undefined }, receivedAt(req)));
    }
    res.json(ACCEPTED);
  });
  return router;
}
