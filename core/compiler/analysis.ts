import { nextOf, type AslState, type Branch, type MapState, type ParallelState } from '../asl/index.ts';
import { listScheduleMakespan, type ScheduledTask } from './list-schedule.ts';
import { WAIT_FOR_TOKEN_RESOURCE } from './states/gate.ts';
import { listSchedule } from './structure.ts';

type Machine = Branch<AslState>;

export interface SuccessPath {
  /** Task states entered (gates and reports of a gated workflow included). */
  readonly tasks: number;
  /** Parallel and Map states entered. */
  readonly parallels: number;
  /** Map iterations run. */
  readonly iterations: number;
  /** Every state entered: what a Standard workflow bills (https://aws.amazon.com/step-functions/pricing/). */
  readonly transitions: number;
}

/**
 * What the success path of a compiled machine costs: states entered when every task succeeds,
 * following Next, running every branch, and every Map iteration (each picks its item's states with
 * the Choice its iteration starts with).
 */
export function successPath(machine: Machine, from = machine.StartAt): SuccessPath {
  const total = { tasks: 0, parallels: 0, iterations: 0, transitions: 0 };
  const addAll = (inner: SuccessPath) => {
    total.tasks += inner.tasks;
    total.parallels += inner.parallels;
    total.iterations += inner.iterations;
    total.transitions += inner.transitions;
  };
  for (const state of successStates(machine, from)) {
    total.transitions++;
    if (state.Type === 'Task') total.tasks++;
    if (state.Type === 'Parallel') {
      total.parallels++;
      for (const branch of state.Branches) addAll(successPath(branch));
    }
    if (state.Type === 'Map') {
      total.parallels++;
      // A fan-out's iteration starts at its task (counted once: the items are known only at run time).
      const dispatched = processorOf(state).States[processorOf(state).StartAt]?.Type === 'Choice';
      for (const start of iterationStarts(state)) {
        total.iterations++;
        if (dispatched) total.transitions++; // the Choice
        addAll(successPath(processorOf(state), start));
      }
    }
  }
  return total;
}

/**
 * Time to run the success path when each Task state takes `duration(stateName)` (the coordinator's
 * answers take no time): series adds, a
 * Parallel waits for its slowest branch, a Map hands its items in order to MaxConcurrency slots, and a
 * gated Parallel releases each branch once what its gate needs has finished (lowest rank first, at
 * most `limit` at once), as the coordinator does.
 */
export function simulatedMakespan(machine: Machine, duration: (state: string) => number, from = machine.StartAt): number {
  let time = 0;
  let name: string | undefined = from;
  while (name) {
    const state: AslState = machine.States[name];
    if (state.Type === 'Task' && !isCoordinatorCall(state)) time += duration(name);
    if (state.Type === 'Parallel') {
      const gated = gatedTasks(state, duration);
      time += gated
        ? listScheduleMakespan(gated.tasks, gated.limit)
        : Math.max(...state.Branches.map((b) => simulatedMakespan(b, duration)));
    }
    if (state.Type === 'Map') {
      const items = iterationStarts(state).map((start) => simulatedMakespan(processorOf(state), duration, start));
      time += listSchedule(items, state.MaxConcurrency || items.length);
    }
    name = successorOf(state);
  }
  return time;
}

/** Most Task states running at once on the success path (gates and reports not counted). */
export function peakConcurrency(machine: Machine, from = machine.StartAt): number {
  let most = 0;
  for (const state of successStates(machine, from)) {
    let here = 0;
    if (state.Type === 'Task') here = isCoordinatorCall(state) ? 0 : 1;
    if (state.Type === 'Parallel') {
      const gated = gatedTasks(state, () => 0);
      here = gated ? Math.min(gated.limit, gated.tasks.length) : state.Branches.reduce((sum, b) => sum + peakConcurrency(b), 0);
    }
    if (state.Type === 'Map') {
      const starts = iterationStarts(state);
      const each = Math.max(0, ...starts.map((start) => peakConcurrency(processorOf(state), start)));
      here = each * Math.min(state.MaxConcurrency || starts.length, starts.length);
    }
    most = Math.max(most, here);
  }
  return most;
}

function* successStates(machine: Machine, from: string): Generator<AslState> {
  let name: string | undefined = from;
  while (name) {
    const state: AslState = machine.States[name];
    yield state;
    name = successorOf(state);
  }
}

/** The next state on the success path: a Choice on it (a saga's branch check) goes to its Default. */
function successorOf(state: AslState): string | undefined {
  return state.Type === 'Choice' ? state.Default : nextOf(state);
}

function processorOf(state: MapState<AslState>): Machine {
  return (state.ItemProcessor ?? state.Iterator)!;
}

/** Where each Map iteration starts: the targets of the Choice the processor opens with, else its StartAt once. */
function iterationStarts(state: MapState<AslState>): string[] {
  const processor = processorOf(state);
  const start = processor.States[processor.StartAt];
  return start?.Type === 'Choice' ? start.Choices.map((rule) => rule.Next) : [processor.StartAt];
}

interface GatePayload {
  readonly action?: string;
  readonly task?: string;
  readonly needs?: readonly string[];
  readonly rank?: number;
  readonly limit?: number;
}

function isCoordinatorCall(state: AslState): boolean {
  if (state.Type !== 'Task') return false;
  if (state.Resource === WAIT_FOR_TOKEN_RESOURCE) return true;
  return (state.Parameters as GatePayload | undefined)?.action === 'done';
}

/** The tasks of a gated Parallel (every branch opening with a gate), each lasting its branch after the gate. */
function gatedTasks(state: ParallelState<AslState>, duration: (state: string) => number): { tasks: ScheduledTask[]; limit: number } | undefined {
  const tasks: ScheduledTask[] = [];
  let limit = Infinity;
  for (const branch of state.Branches) {
    const gate = branch.States[branch.StartAt];
    if (gate?.Type !== 'Task' || gate.Resource !== WAIT_FOR_TOKEN_RESOURCE) return undefined;
    const payload = (gate.Parameters as { Payload?: GatePayload } | undefined)?.Payload;
    if (payload?.action !== 'wait' || !payload.task) return undefined;
    const after = nextOf(gate);
    tasks.push({ task: payload.task, needs: payload.needs ?? [], rank: payload.rank ?? 0, duration: after ? simulatedMakespan(branch, duration, after) : 0 });
    if (payload.limit !== undefined) limit = payload.limit;
  }
  return { tasks, limit };
}
