/** Counts admissions per key in fixed one-minute windows, across Lambda containers. */
export interface RateLimiter {
  /**
   * Admits one more in the window that holds `now` unless `limit` were admitted there already.
   * `retryAfterSeconds` is the time left until the next window when refused.
   */
  tryAcquire(key: string, limit: number, now: Date): Promise<RateDecision>;
}

export type RateDecision = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterSeconds: number };

/** The one-minute window holding `now`: its start, and seconds left until the next one (at least 1). */
export function minuteWindow(now: Date): { readonly start: string; readonly secondsLeft: number } {
  const startMs = Math.floor(now.getTime() / 60_000) * 60_000;
  return {
    start: new Date(startMs).toISOString(),
    secondsLeft: Math.max(1, Math.ceil((startMs + 60_000 - now.getTime()) / 1000)),
  };
}
