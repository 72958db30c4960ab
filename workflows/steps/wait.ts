import { condition } from '@temporalio/workflow';
import type { StepContext } from './context';

/**
 * A durable wait that ends at the timeout, when `done()` holds, or when the run must exit (an exit
 * event, or the journey's exit time, which may fall inside the wait). A wait that outlives a long
 * history (many signals) continues the run as new and resumes there, so history stays bounded.
 */
export async function waitFor(ctx: StepContext, timeoutMs: number, done: () => boolean = () => false): Promise<'done' | 'exit' | 'timeout'> {
  const endsAt = ctx.resumeWaitEndsAt ?? Date.now() + timeoutMs;
  delete ctx.resumeWaitEndsAt;
  const stopAt = Math.min(endsAt, ctx.exitDeadline ?? Infinity);
  await condition(() => done() || ctx.exitRequested() || ctx.historyTooLong(), Math.max(1, stopAt - Date.now()));
  if (done()) return 'done';
  if (ctx.exitRequested()) return 'exit';
  if (ctx.historyTooLong() && Date.now() < endsAt) return ctx.continueAsNew(endsAt);
  return 'timeout';
}
