/**
 * Durations in definitions: `300s`, `5m`, `1h`, `1d`, `250ms` or a plain number of seconds.
 * Step Functions counts whole seconds (TimeoutSeconds, IntervalSeconds, MaxDelaySeconds), so the
 * parsed value is in seconds and may be fractional only where the caller allows it.
 */
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/;

/** Seconds for a duration, or undefined when the value is not a duration. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2] ?? 's'];
}

/** Formats seconds the way a person writes them in a definition (`90s`, `5m`, `2h`). */
export function formatDuration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
