import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMEOUT_MS, systemClock } from '../../local/clock.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('systemClock', () => {
  it('waits longer than the longest setTimeout delay in steps, instead of firing at once', () => {
    // GIVEN Node's timers under test control, and a wait 1 s longer than setTimeout takes
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fired: string[] = [];
    systemClock.setTimeout(() => fired.push('late'), MAX_TIMEOUT_MS + 1_000);

    // WHEN the longest delay passes, then the last second
    vi.advanceTimersByTime(MAX_TIMEOUT_MS);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1_000);

    // THEN it fired once, at the end
    expect(fired).toEqual(['late']);
  });

  it('cancels a long wait in any of its steps', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fired: string[] = [];
    const handle = systemClock.setTimeout(() => fired.push('late'), MAX_TIMEOUT_MS + 1_000);

    vi.advanceTimersByTime(MAX_TIMEOUT_MS);
    systemClock.clearTimeout(handle);
    vi.advanceTimersByTime(2_000);

    expect(fired).toEqual([]);
  });
});
