import { CircuitState, type IBreaker } from 'cockatiel';
import type { CircuitBreakerSettings } from '../../core/definition/orchestration-model.ts';
import type { PendingWindow } from './outcome-batch.ts';
import type { BreakerRecord } from './records.ts';

/** Whether `calls` with `failures` among them open a breaker with these settings. */
export function crossesThreshold(settings: CircuitBreakerSettings, calls: number, failures: number): boolean {
  return calls >= settings.minimumCalls && failures / calls >= settings.failureRate;
}

/**
 * cockatiel's IBreaker for the definition's breaker: the failure rate over `window`, once there are at
 * least `minimum_calls`, counting both what the shared record held when last read (every invoker's
 * flushed outcomes) and this invoker's outcomes not flushed yet. cockatiel asks it on each closed-state
 * outcome whether to open; opening is then written to the shared record at once.
 */
export class WindowBreaker implements IBreaker {
  constructor(
    private readonly settings: CircuitBreakerSettings,
    private readonly shared: BreakerRecord,
    private readonly pending: () => PendingWindow,
    private readonly now: () => number,
  ) {}

  /** What cockatiel's toJSON() captures: the counts this breaker decides on. */
  get state(): unknown {
    const { calls, failures } = this.counts();
    return { windowStart: this.shared.windowStart, calls, failures };
  }

  set state(_value: unknown) {
    // Counts come from the shared record and the pending batch, not from cockatiel's snapshot.
  }

  success(state: CircuitState): void {
    if (state === CircuitState.Closed) this.pending().calls++;
  }

  failure(state: CircuitState): boolean {
    if (state !== CircuitState.Closed) return true; // a failed half-open trial: cockatiel reopens regardless
    const window = this.pending();
    window.calls++;
    window.failures++;
    const { calls, failures } = this.counts();
    return crossesThreshold(this.settings, calls, failures);
  }

  private counts(): { calls: number; failures: number } {
    const rolled = this.now() - this.shared.windowStart >= this.settings.windowSeconds * 1000;
    const window = this.pending();
    return { calls: (rolled ? 0 : this.shared.calls) + window.calls, failures: (rolled ? 0 : this.shared.failures) + window.failures };
  }
}
