import { performance } from 'node:perf_hooks';

/** Handle of a timer armed on a {@link Clock}. */
export type TimerHandle = unknown;

/**
 * Wall-clock time and timers for everything offline that reads the time or waits: the engine's dates and
 * timeouts, schedules, event retries. Injected so tests drive time by hand (a fake clock fires its timers
 * when advanced; nothing sleeps).
 */
export interface Clock {
  /** Epoch milliseconds; may carry a fraction (the system clock is sub-millisecond). */
  now(): number;
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Runs `fn` on the next turn of the event loop, after pending I/O (setImmediate). */
  setImmediate(fn: () => void): TimerHandle;
  clearImmediate(handle: TimerHandle): void;
}

/**
 * The longest delay Node's setTimeout takes: a larger one is clamped to 1 ms (with a TimeoutOverflowWarning),
 * so longer waits are cut into steps of at most this much.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The machine's clock with sub-millisecond reads: `performance.timeOrigin + performance.now()` is
 * monotonic between reads, so lateness is not rounded to whole milliseconds nor jolted by NTP steps.
 * Its timers never keep the process alive on their own, and wait longer than MAX_TIMEOUT_MS in steps.
 */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: (fn, delayMs) => {
    const timer: { current?: NodeJS.Timeout } = {};
    const wait = (ms: number) => {
      timer.current = setTimeout(() => (ms > MAX_TIMEOUT_MS ? wait(ms - MAX_TIMEOUT_MS) : fn()), Math.min(Math.max(0, ms), MAX_TIMEOUT_MS));
      timer.current.unref();
    };
    wait(delayMs);
    return timer;
  },
  clearTimeout: (handle) => clearTimeout((handle as { current?: NodeJS.Timeout } | undefined)?.current),
  setImmediate: (fn) => setImmediate(fn),
  clearImmediate: (handle) => clearImmediate(handle as NodeJS.Immediate),
};
