import { performance } from 'node:perf_hooks';
import { MAX_TIMEOUT_MS, systemClock, type Clock, type TimerHandle } from '../clock.ts';

export interface PrecisionTimerProps {
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * How long before the instant the coarse setTimeout wakes. Node timers fire late, never early, by the
   * time the event loop is busy; waking early leaves room to absorb that.
   * @default 30 with the system clock; 0 with an injected one (a fake clock fires timers exactly on time)
   */
  readonly wakeEarlyMs?: number;
  /**
   * The last stretch, in ms, waited by a synchronous spin rather than by polling the event loop, so the fire
   * lands within a fraction of a millisecond. Bounded so a spin never holds the loop for long.
   * @default 2 with the system clock; 0 with an injected one
   */
  readonly spinMs?: number;
}

/** Cancels an armed deadline; harmless after it has fired. */
export type Cancel = () => void;

/**
 * Calls a function at an instant, as close to it as a single Node process allows: a coarse setTimeout wakes
 * `wakeEarlyMs` before, the event loop is then polled with setImmediate (I/O keeps flowing) until `spinMs`
 * remain, and a short spin finishes. Never fires early.
 */
export class PrecisionTimer {
  readonly clock: Clock;
  private readonly wakeEarlyMs: number;
  private readonly spinMs: number;

  constructor(props: PrecisionTimerProps = {}) {
    this.clock = props.clock ?? systemClock;
    const system = this.clock === systemClock;
    this.wakeEarlyMs = Math.max(0, props.wakeEarlyMs ?? (system ? 30 : 0));
    this.spinMs = Math.max(0, props.spinMs ?? (system ? 2 : 0));
  }

  /** Arms `fn` for the epoch-millisecond instant `at`; an instant already past fires on the next turn. */
  at(at: number, fn: () => void): Cancel {
    const clock = this.clock;
    let handle: TimerHandle | undefined;
    let immediate = false;
    let cancelled = false;

    const fine = () => {
      handle = undefined;
      if (cancelled) return;
      const remaining = at - clock.now();
      if (remaining > this.wakeEarlyMs + 1) {
        // Woken far too early (a clock step, or a fake clock advanced part way): sleep again.
        immediate = false;
        handle = clock.setTimeout(fine, Math.min(remaining - this.wakeEarlyMs, MAX_TIMEOUT_MS));
        return;
      }
      if (remaining > this.spinMs) {
        immediate = true;
        handle = clock.setImmediate(fine);
        return;
      }
      // Bounded by real time, so a clock that does not move on its own (a fake one) cannot hold the loop.
      const spinUntil = performance.now() + this.spinMs + 1;
      while (clock.now() < at && performance.now() < spinUntil) {
        /* spin */
      }
      fn();
    };

    const delay = at - clock.now() - this.wakeEarlyMs;
    // An instant further than MAX_TIMEOUT_MS wakes `fine` early, which sleeps again until it is reached.
    if (delay > 0) handle = clock.setTimeout(fine, Math.min(delay, MAX_TIMEOUT_MS));
    else {
      immediate = true;
      handle = clock.setImmediate(fine);
    }
    return () => {
      cancelled = true;
      if (handle === undefined) return;
      if (immediate) clock.clearImmediate(handle);
      else clock.clearTimeout(handle);
      handle = undefined;
    };
  }
}
