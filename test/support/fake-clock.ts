import type { Clock, TimerHandle } from '../../local/clock.ts';

interface Pending {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/**
 * A clock that moves only when told: `advanceTo` fires every timer due up to the target in order, setting
 * `now` to each timer's due time first (as a real clock would read at that moment). Immediates run as
 * timers due now.
 */
export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(start: Date | number) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    return this.add(fn, this.current + Math.max(0, delayMs));
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  setImmediate(fn: () => void): TimerHandle {
    return this.add(fn, this.current);
  }

  clearImmediate(handle: TimerHandle): void {
    this.clearTimeout(handle);
  }

  /** Timers armed and not yet fired. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Due time of the earliest timer. */
  nextDue(): number | undefined {
    return this.pending.length ? Math.min(...this.pending.map((p) => p.due)) : undefined;
  }

  advanceTo(target: Date | number): void {
    const until = typeof target === 'number' ? target : target.getTime();
    for (let guard = 0; guard < 100_000; guard++) {
      const due = this.pending.filter((p) => p.due <= until).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.current = Math.max(this.current, due.due);
      due.fn();
    }
    this.current = Math.max(this.current, until);
  }

  /** Moves time without running timers, as when the process was suspended; they run on the next advance. */
  jumpTo(target: Date | number): void {
    this.current = Math.max(this.current, typeof target === 'number' ? target : target.getTime());
  }

  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  private add(fn: () => void, due: number): number {
    const id = this.nextId++;
    this.pending.push({ id, due, fn });
    return id;
  }
}
