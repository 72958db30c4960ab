/**
 * Structural checks on a journey's step graph: unique ids, known targets, no loops, no orphans.
 * Works on the plain shape so the zod schema can call it before types are inferred.
 */
interface GraphStep {
  id: string;
  type: string;
  next?: string;
  else?: string;
  timeoutNext?: string;
  branches?: ReadonlyArray<{ next?: string }>;
}

export interface GraphProblem {
  path: (string | number)[];
  message: string;
}

/** Every outgoing edge of a step, with the field that holds it (for error paths). */
export function edgesOf(step: GraphStep): Array<{ field: (string | number)[]; target: string }> {
  const edges: Array<{ field: (string | number)[]; target: string }> = [];
  if (step.next !== undefined) edges.push({ field: ['next'], target: step.next });
  if (step.else !== undefined) edges.push({ field: ['else'], target: step.else });
  if (step.timeoutNext !== undefined) edges.push({ field: ['timeoutNext'], target: step.timeoutNext });
  step.branches?.forEach((branch, i) => {
    if (branch.next !== undefined) edges.push({ field: ['branches', i, 'next'], target: branch.next });
  });
  return edges;
}

export function checkGraph(definition: { start: string; steps: readonly GraphStep[] }): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const indexById = new Map<string, number>();
  definition.steps.forEach((step, i) => {
    if (indexById.has(step.id)) {
      problems.push({ path: ['steps', i, 'id'], message: `step id "${step.id}" is used twice` });
    } else {
      indexById.set(step.id, i);
    }
  });
  if (!indexById.has(definition.start)) {
    problems.push({ path: ['start'], message: `start step "${definition.start}" does not exist` });
  }
  definition.steps.forEach((step, i) => {
    for (const edge of edgesOf(step)) {
      if (!indexById.has(edge.target)) {
        problems.push({
          path: ['steps', i, ...edge.field],
          message: `step "${step.id}" points to "${edge.target}", which does not exist`,
        });
      }
    }
  });
  if (problems.length > 0) return problems;

  // Depth-first search from start: a grey node reached again is a loop.
  const colour = new Map<string, 'grey' | 'black'>();
  const visit = (id: string): void => {
    colour.set(id, 'grey');
    const index = indexById.get(id) ?? -1;
    const step = definition.steps[index];
    for (const edge of step ? edgesOf(step) : []) {
      const seen = colour.get(edge.target);
      if (seen === 'grey') {
        problems.push({
          path: ['steps', index, ...edge.field],
          message: `step "${id}" points back to "${edge.target}": journeys may not loop`,
        });
      } else if (seen === undefined) {
        visit(edge.target);
      }
    }
    colour.set(id, 'black');
  };
  visit(definition.start);
  definition.steps.forEach((step, i) => {
    if (!colour.has(step.id)) {
      problems.push({ path: ['steps', i, 'id'], message: `step "${step.id}" cannot be reached from the start step` });
    }
  });
  return problems;
}
