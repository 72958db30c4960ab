import { condition } from '@temporalio/workflow';
import type { StepContext } from './context';

/**
 * A durable wait that ends at the timeout, when `done()` holds, or when the run must exit (an exit
 * event, or the journey's exit time, which may fall inside the wait).
 */
export async function waitFor(ctx: StepContext, timeoutMs: number, done: () => boolean = () => false): Promise<'done' | 'exit' | 'timeout'> {
  const untilExit = ctx.exitDeadline === undefined ? Infinity : Math.max(1, ctx.exitDeadline - Date.now());
  await condition(() => done() || ctx.exitRequested(), Math.min(timeoutMs, untilExit));
  if (done()) return 'done';
  return ctx.exitRequested() ? 'exit' : 'timeout';
}
