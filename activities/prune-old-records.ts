import { Context } from '@temporalio/activity';
import { pruneOlderThan, type Pruned } from '../db/retention';
import type { ActivityDeps } from './deps';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes what `SOJOURN_RETENTION_DAYS` no longer keeps (0 keeps everything). */
export function makePruneOldRecords(deps: ActivityDeps) {
  return async function pruneOldRecords(): Promise<Pruned & { before: string | null }> {
    const days = deps.config.retentionDays;
    if (days <= 0) return { deliveries: 0, listMembers: 0, before: null };
    const before = new Date(Date.now() - days * DAY_MS);
    const pruned = await pruneOlderThan(deps.db, before, 5_000, () => Context.current().heartbeat());
    return { ...pruned, before: before.toISOString() };
  };
}
