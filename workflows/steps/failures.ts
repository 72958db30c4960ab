/**
 * What a run records when an activity failed: the activity's own error (an ActivityFailure's cause),
 * not Temporal's wrapper ("Activity task failed").
 */
export function failureMessage(error: unknown): string {
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}
