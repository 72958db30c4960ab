const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
  w: 7 * 24 * 60 * 60 * 1000,
};

export const DURATION_PATTERN = /^(\d+)(s|m|h|d|w)$/;

/** "3d" → milliseconds. Throws on anything else, so callers validate with `DURATION_PATTERN` first. */
export function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  const unit = match?.[2];
  if (!match || unit === undefined) throw new Error(`not a duration: "${text}" (use e.g. 30s, 15m, 2h, 3d, 1w)`);
  return Number(match[1]) * (UNIT_MS[unit] ?? 0);
}

/** A duration under the configured time scale, never below Temporal's 1 ms timer resolution. */
export function scaledMs(text: string, timeScale: number): number {
  return Math.max(1, Math.round(parseDuration(text) * timeScale));
}
