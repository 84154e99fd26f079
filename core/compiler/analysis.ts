import { nextOf, type AslState, type Branch } from '../asl/index.ts';

type Machine = Branch<AslState>;

/**
 * What the success path of a compiled machine costs: states entered when every task succeeds,
 * following Next and running every branch (Standard workflows bill each state transition:
 * https://aws.amazon.com/step-functions/pricing/).
 */
export function successPath(machine: Machine): { tasks: number; parallels: number; transitions: number } {
  const total = { tasks: 0, parallels: 0, transitions: 0 };
  for (const state of successStates(machine)) {
    total.transitions++;
    if (state.Type === 'Task') total.tasks++;
    if (state.Type === 'Parallel') {
      total.parallels++;
      for (const branch of state.Branches) {
        const inner = successPath(branch);
        total.tasks += inner.tasks;
        total.parallels += inner.parallels;
        total.transitions += inner.transitions;
      }
    }
  }
  return total;
}

/** Time to run the success path when each Task state takes `duration(stateName)`. */
export function simulatedMakespan(machine: Machine, duration: (state: string) => number): number {
  let time = 0;
  let name: string | undefined = machine.StartAt;
  while (name) {
    const state: AslState = machine.States[name];
    if (state.Type === 'Task') time += duration(name);
    if (state.Type === 'Parallel') time += Math.max(...state.Branches.map((b) => simulatedMakespan(b, duration)));
    name = nextOf(state);
  }
  return time;
}

/** Most Task states running at once on the success path. */
export function peakConcurrency(machine: Machine): number {
  let most = 0;
  for (const state of successStates(machine)) {
    const here = state.Type === 'Task' ? 1
      : state.Type === 'Parallel' ? state.Branches.reduce((sum, b) => sum + peakConcurrency(b), 0) : 0;
    most = Math.max(most, here);
  }
  return most;
}

function* successStates(machine: Machine): Generator<AslState> {
  let name: string | undefined = machine.StartAt;
  while (name) {
    const state: AslState = machine.States[name];
    yield state;
    name = nextOf(state);
  }
}
