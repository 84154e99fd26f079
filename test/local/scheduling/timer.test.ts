import { describe, expect, it } from 'vitest';
import { MAX_TIMEOUT_MS } from '../../../local/clock.ts';
import { PrecisionTimer } from '../../../local/scheduling/timer.ts';
import { FakeClock } from '../../support/fake-clock.ts';

describe('PrecisionTimer', () => {
  it('arms one timer capped at the longest setTimeout delay for an instant 60 days ahead, and re-arms until it is reached', () => {
    // GIVEN an instant 60 days ahead, beyond the 2**31-1 ms (24.8 days) that setTimeout takes
    const start = Date.parse('2026-01-01T00:00:00Z');
    const clock = new FakeClock(start);
    const timer = new PrecisionTimer({ clock });
    const at = start + 60 * 24 * 3_600_000;
    const fired: number[] = [];

    // WHEN it is armed
    timer.at(at, () => fired.push(clock.now()));

    // THEN one timer waits, for the capped delay
    expect(clock.pendingCount).toBe(1);
    expect(clock.nextDue()! - start).toBe(MAX_TIMEOUT_MS);

    // AND waking at the cap does not fire, but re-arms one timer, capped again
    clock.advanceTo(start + MAX_TIMEOUT_MS);
    expect(fired).toEqual([]);
    expect(clock.pendingCount).toBe(1);
    expect(clock.nextDue()!).toBe(start + 2 * MAX_TIMEOUT_MS);

    // AND the fire lands on the instant, once
    clock.advanceTo(at + 1000);
    expect(fired).toEqual([at]);
    expect(clock.pendingCount).toBe(0);
  });
});
