import type { Condition, Facts } from '../../journeys/conditions';
import { getTraits } from '../activities';
import type { StepContext } from './context';

/** Loads just the traits the conditions name, so the history holds no more profile data than needed. */
export async function factsFor(conditions: readonly Condition[], ctx: StepContext): Promise<Facts> {
  const traitNames = [
    ...new Set(conditions.filter((c) => c.path.startsWith('traits.')).map((c) => c.path.split('.')[1] ?? '')),
  ];
  const traits = traitNames.length > 0 ? await getTraits({ userId: ctx.input.userId, names: traitNames }) : {};
  const context: Record<string, unknown> = {};
  for (const event of ctx.events) context[event.event] = event.properties;
  return { traits, properties: ctx.input.entryProperties ?? {}, context };
}
