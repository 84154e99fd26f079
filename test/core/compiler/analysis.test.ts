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
    expect(successPath(machine)).toEqual({ tasks: 5, parallels: 1, iterations: 0, transitions: 6 });
  });

  it('simulates the makespan: series adds, Parallel takes its slowest branch', () => {
    const durations: Record<string, number> = { a: 1, b: 2, c: 3, d: 10, e: 1 };
    expect(simulatedMakespan(machine, (s) => durations[s])).toBe(12);
  });

  it('finds the peak number of tasks running at once', () => {
    expect(peakConcurrency(machine)).toBe(2);
  });

  it('runs Map items on MaxConcurrency slots, each through the Choice its iteration starts with', () => {
    const mapped: StateMachineDefinition = {
      StartAt: 'm',
      States: {
        m: {
          Type: 'Map',
          MaxConcurrency: 2,
          ItemProcessor: {
            StartAt: 'pick',
            States: {
              pick: { Type: 'Choice', Choices: [{ Variable: '$.task', StringEquals: 'x', Next: 'x' }, { Variable: '$.task', StringEquals: 'y', Next: 'y' }, { Variable: '$.task', StringEquals: 'z', Next: 'z' }] },
              x: { Type: 'Task', Resource: FN, End: true },
              y: { Type: 'Task', Resource: FN, End: true },
              z: { Type: 'Task', Resource: FN, End: true },
            },
          },
          End: true,
        },
      },
    };
    const durations: Record<string, number> = { x: 9, y: 3, z: 3 };
    expect(simulatedMakespan(mapped, (s) => durations[s])).toBe(9);
    expect(successPath(mapped)).toEqual({ tasks: 3, parallels: 1, iterations: 3, transitions: 7 });
    expect(peakConcurrency(mapped)).toBe(2);
  });
});
