import { describe, expect, it } from 'vitest';
import { peakConcurrency, simulatedMakespan, successPath } from '../../../core/compiler/analysis.ts';

// A hand-written machine: a → Parallel[ b → c | d ] → e, with a Catch target off the success path.
const machine = {
  StartAt: 'a',
  States: {
    a: { Type: 'Task' as const, Next: 'p', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'a.caught' }] },
    'a.caught': { Type: 'Pass' as const, Next: 'p' },
    p: {
      Type: 'Parallel' as const,
      Branches: [
        { StartAt: 'b', States: { b: { Type: 'Task' as const, Next: 'c' }, c: { Type: 'Task' as const, End: true } } },
        { StartAt: 'd', States: { d: { Type: 'Task' as const, End: true } } },
      ],
      Next: 'e',
    },
    e: { Type: 'Task' as const, End: true },
  },
};

describe('analysis of compiled machines', () => {
  it('counts the states entered on the success path, branches included, Catch targets excluded', () => {
    expect(successPath(machine)).toEqual({ tasks: 5, parallels: 1, transitions: 6 });
  });

  it('simulates the makespan: series adds, Parallel takes its slowest branch', () => {
    const durations: Record<string, number> = { a: 1, b: 2, c: 3, d: 10, e: 1 };
    expect(simulatedMakespan(machine, (s) => durations[s])).toBe(12);
  });

  it('finds the peak number of tasks running at once', () => {
    expect(peakConcurrency(machine)).toBe(2);
  });
});
