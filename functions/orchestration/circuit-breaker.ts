import type { CircuitBreakerSettings } from '../../core/definition/orchestration-model.ts';
import { CircuitState } from 'cockatiel';
import type { PendingWindow } from './outcome-batch.ts';
import type { BreakerRecord, OrchestrationStore } from './records.ts';
import { crossesThreshold } from './window-breaker.ts';

/** What a call may do: go ahead (as a normal call or a half-open trial), or fail fast. */
export type Permit = { readonly allowed: true; readonly trial: boolean; /** The record as this call saw it. */ readonly record: BreakerRecord; /** 1 when this call moved the breaker from open to half-open. */ readonly transitions?: number } | { readonly allowed: false; readonly retryAt: number };

/** How often a compare-and-set is tried again after another invoker changed the record first. */
const MAX_CONFLICTS = 8;

/**
 * A circuit breaker per service whose state lives in the store, so every invoker (every Lambda
 * instance, every offline engine) sees the same one: closed → open when the failure rate over the window
 * reaches `failureRate` with at least `minimumCalls` calls; open → half-open after `openFor`, letting
 * `halfOpenCalls` trial calls through; all trials succeeding closes it, any failing opens it again.
 * Every change is a compare-and-set on the record's version; a lost race reads again and redecides.
 * Closed-state outcomes arrive in batches (`merge`); trial outcomes one by one (`record`).
 */
export class SharedCircuitBreaker {
  constructor(private readonly store: OrchestrationStore, private readonly now: () => number) {}

  async acquire(service: string, settings: CircuitBreakerSettings, current: BreakerRecord): Promise<Permit> {
    let record = current;
    for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
      const now = this.now();
      const openForMs = settings.openForSeconds * 1000;
      if (record.state === 'closed') return { allowed: true, trial: false, record };
      if (record.state === 'open') {
        if (now - record.openedAt < openForMs) return { allowed: false, retryAt: record.openedAt + openForMs };
        const next: BreakerRecord = { ...record, state: 'half_open', openedAt: now, trialsStarted: 1, trialSuccesses: 0, transitions: record.transitions + 1, version: record.version + 1 };
        if (await this.store.writeBreaker(service, next)) return { allowed: true, trial: true, record: next, transitions: 1 };
      } else {
        // Half-open: trials left, or trials lost (an invoker that never reported) once another open period passed.
        const stale = now - record.openedAt >= openForMs;
        if (record.trialsStarted >= settings.halfOpenCalls && !stale) return { allowed: false, retryAt: record.openedAt + openForMs };
        const next: BreakerRecord = stale
          ? { ...record, openedAt: now, trialsStarted: 1, trialSuccesses: 0, version: record.version + 1 }
          : { ...record, trialsStarted: record.trialsStarted + 1, version: record.version + 1 };
        if (await this.store.writeBreaker(service, next)) return { allowed: true, trial: true, record: next };
      }
      record = (await this.store.readService(service)).breaker;
    }
    return { allowed: false, retryAt: this.now() };
  }

  /**
   * Adds a batch of closed-state outcomes (one invoker's, since its last flush) to the shared window and
   * opens the breaker when the sum crosses the threshold. `merged` is false when every attempt lost
   * its compare-and-set race (the batch is then kept for the next flush).
   */
  async merge(service: string, settings: CircuitBreakerSettings, counts: PendingWindow, current: BreakerRecord): Promise<{ merged: boolean; record: BreakerRecord; transitions: number }> {
    let record = current;
    for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
      // Outcomes of calls that started before another invoker opened the breaker no longer count.
      if (record.state !== 'closed' || counts.calls === 0) return { merged: true, record, transitions: 0 };
      const now = this.now();
      const rolled = now - record.windowStart >= settings.windowSeconds * 1000;
      const calls = (rolled ? 0 : record.calls) + counts.calls;
      const failures = (rolled ? 0 : record.failures) + counts.failures;
      const windowStart = rolled ? now : record.windowStart;
      const opens = crossesThreshold(settings, calls, failures);
      const next: BreakerRecord = opens
        ? { ...record, state: 'open', windowStart, calls, failures, openedAt: now, trialsStarted: 0, trialSuccesses: 0, transitions: record.transitions + 1, version: record.version + 1 }
        : { ...record, windowStart, calls, failures, version: record.version + 1 };
      if (await this.store.writeBreaker(service, next)) return { merged: true, record: next, transitions: opens ? 1 : 0 };
      record = (await this.store.readService(service)).breaker;
    }
    return { merged: false, record, transitions: 0 };
  }

  /** Counts a call's outcome; returns the number of state transitions it caused (0 or 1). */
  async record(service: string, settings: CircuitBreakerSettings, permit: { trial: boolean; record: BreakerRecord }, failed: boolean): Promise<number> {
    let record = permit.record;
    for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
      const next = this.decide(record, settings, permit.trial, failed);
      if (!next) return 0;
      if (await this.store.writeBreaker(service, next)) return next.state !== record.state ? 1 : 0;
      record = (await this.store.readService(service)).breaker;
    }
    return 0;
  }

  private decide(record: BreakerRecord, settings: CircuitBreakerSettings, trial: boolean, failed: boolean): BreakerRecord | undefined {
    const now = this.now();
    const version = record.version + 1;
    if (record.state === 'half_open') {
      if (!trial) return undefined;
      if (failed) return { ...record, state: 'open', openedAt: now, trialsStarted: 0, trialSuccesses: 0, transitions: record.transitions + 1, version };
      const successes = record.trialSuccesses + 1;
      if (successes >= settings.halfOpenCalls) {
        return { ...record, state: 'closed', windowStart: now, calls: 0, failures: 0, trialsStarted: 0, trialSuccesses: 0, transitions: record.transitions + 1, version };
      }
      return { ...record, trialSuccesses: successes, version };
    }
    if (record.state === 'open') return undefined; // a call that started before it opened
    const rolled = now - record.windowStart >= settings.windowSeconds * 1000;
    const calls = (rolled ? 0 : record.calls) + 1;
    const failures = (rolled ? 0 : record.failures) + (failed ? 1 : 0);
    const windowStart = rolled ? now : record.windowStart;
    if (crossesThreshold(settings, calls, failures)) {
      return { ...record, state: 'open', windowStart, calls, failures, openedAt: now, trialsStarted: 0, trialSuccesses: 0, transitions: record.transitions + 1, version };
    }
    return { ...record, windowStart, calls, failures, version };
  }
}

/**
 * The shared record as cockatiel's `initialState` (the shape its CircuitBreakerPolicy.toJSON() writes),
 * for a policy that decides whether an open breaker still fails fast. cockatiel measures the open period
 * with Date.now(); the record is on the runtime's clock, so openedAt is carried over as time elapsed.
 * Half-open: the open period is over as far as this invoker knows; whether it gets one of the
 * `half_open_calls` trials is the shared record's decision (acquire).
 */
export function cockatielInitialState(record: BreakerRecord, settings: CircuitBreakerSettings, now: number): unknown {
  if (record.state === 'closed') return undefined;
  const openForMs = settings.openForSeconds * 1000;
  const elapsed = record.state === 'open' ? Math.max(0, now - record.openedAt) : openForMs;
  return { ownState: { value: CircuitState.Open, openedAt: Date.now() - elapsed, attemptNo: 1 }, breakerState: undefined };
}
