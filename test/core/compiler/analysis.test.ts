import { describe, expect, it } from 'vitest';
import type { StateMachineDefinition } from '../../../core/asl/index.ts';
import { peakConcurrency, simulatedMakespan, successPath } from '../../../core/compiler/analysis.ts';

const FN = '${TaskFunction_echo}';

// A hand-written machine: a → Parallel[ b → c | d ] → e, with a Catch target off the success path.
const machine: StateMachineDefinition = {
  StartAt: 'a',
  States: {
    a: { Type: 'Task', Resource: FN, Next: 'p', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'a.caught' }] },
    'a.caught': { Type: 'Pass', Next: 'p' },
    p: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'b', States: { b: { Type: 'Task', Resource: FN, Next: 'c' }, c: { Type: 'Task', Resource: FN, End: true } } },
        { StartAt: 'd', States: { d: { Type: 'Task', Resource: FN, End: true } } },
      ],
      Next: 'e',
    },
    e: { Type: 'Task', Resource: FN, End: true },
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
