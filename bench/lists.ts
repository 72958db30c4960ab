import type { Bench } from './harness';

export async function benchLists(_bench: Bench, _members: number): Promise<Record<string, number>> {
  throw new Error('list destinations are not built yet');
}
