import type { JourneyVersionRow } from '../db/journeys';
import type { ApiDeps } from './deps';

/**
 * Work a journey version needs done before it may take users: e.g. creating or finding the lists
 * of its list destinations. Runs on every publish; must be idempotent.
 */
export async function prepareForPublish(_deps: ApiDeps, _journey: JourneyVersionRow): Promise<void> {}
