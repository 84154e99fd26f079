import type { CircuitBreakerSettings } from '../../core/definition/orchestration-model.ts';
import type { MetricsDelta } from './records.ts';

/** Outcomes of closed-breaker calls not yet merged into the shared breaker record. */
export interface PendingWindow {
  calls: number;
  failures: number;
}

/** What one invoker learnt about one service since its last flush. */
export interface PendingOutcomes {
  readonly window: PendingWindow;
  /** The breaker settings the window counts are for (undefined: the service has no breaker). */
  breaker?: CircuitBreakerSettings;
  calls: number;
  errors: number;
  transitions: number;
  readonly buckets: Record<number, number>;
}

/**
 * Call outcomes recorded in memory, per service, until the next flush: the breaker's window counts
 * and the metrics (calls, errors, transitions, latency histogram). `take` hands them over and starts
 * afresh; `restore` puts back a batch whose flush failed, so nothing is lost.
 */
export class OutcomeBatch {
  private pending = new Map<string, PendingOutcomes>();

  of(service: string): PendingOutcomes {
    let entry = this.pending.get(service);
    if (!entry) this.pending.set(service, (entry = { window: { calls: 0, failures: 0 }, calls: 0, errors: 0, transitions: 0, buckets: {} }));
    return entry;
  }

  /** The window counts calls to `service` add to (read by the breaker while deciding). */
  windowOf(service: string): PendingWindow {
    return this.of(service).window;
  }

  recordCall(service: string, outcome: { failed: boolean; bucket?: number; transitions?: number }): void {
    const entry = this.of(service);
    entry.calls++;
    if (outcome.failed) entry.errors++;
    entry.transitions += outcome.transitions ?? 0;
    if (outcome.bucket !== undefined) entry.buckets[outcome.bucket] = (entry.buckets[outcome.bucket] ?? 0) + 1;
  }

  get empty(): boolean {
    return this.pending.size === 0;
  }

  take(): Map<string, PendingOutcomes> {
    const taken = this.pending;
    this.pending = new Map();
    return taken;
  }

  restore(service: string, outcomes: PendingOutcomes): void {
    const entry = this.of(service);
    entry.window.calls += outcomes.window.calls;
    entry.window.failures += outcomes.window.failures;
    entry.breaker ??= outcomes.breaker;
    entry.calls += outcomes.calls;
    entry.errors += outcomes.errors;
    entry.transitions += outcomes.transitions;
    for (const [bucket, n] of Object.entries(outcomes.buckets)) entry.buckets[Number(bucket)] = (entry.buckets[Number(bucket)] ?? 0) + n;
  }
}

export function metricsDelta(outcomes: PendingOutcomes): MetricsDelta {
  return { calls: outcomes.calls, errors: outcomes.errors, transitions: outcomes.transitions, buckets: outcomes.buckets };
}
