/**
 * The shape a workflow runs in, before it becomes ASL: tasks composed in series and in parallel, and
 * fan-outs handed out a few at a time (a Map state with MaxConcurrency). A dependency graph maps onto
 * this tree exactly when it is series-parallel; the graph analysis says which waits it adds when not.
 */
export type Structure =
  | { readonly kind: 'task'; readonly task: string }
  | { readonly kind: 'series'; readonly steps: readonly Structure[] }
  | { readonly kind: 'parallel'; readonly branches: readonly Structure[] }
  /** Independent tasks, started in this order as soon as one of `maxConcurrency` slots is free. */
  | { readonly kind: 'map'; readonly tasks: readonly string[]; readonly maxConcurrency: number };

export const task = (name: string): Structure => ({ kind: 'task', task: name });

/** Flattens nested series and single-element compositions. */
export function series(steps: readonly Structure[]): Structure {
  const flat = steps.flatMap((s) => (s.kind === 'series' ? s.steps : [s]));
  return flat.length === 1 ? flat[0] : { kind: 'series', steps: flat };
}

export function parallel(branches: readonly Structure[]): Structure {
  const flat = branches.flatMap((b) => (b.kind === 'parallel' ? b.branches : [b]));
  return flat.length === 1 ? flat[0] : { kind: 'parallel', branches: flat };
}

/** A fan-out of `tasks` (in hand-out order) at most `maxConcurrency` at a time; a series when that is 1. */
export function handOut(tasks: readonly string[], maxConcurrency: number): Structure {
  if (maxConcurrency <= 1 || tasks.length === 1) return series(tasks.map(task));
  if (maxConcurrency >= tasks.length) return parallel(tasks.map(task));
  return { kind: 'map', tasks, maxConcurrency };
}

const widths = new WeakMap<Structure, number>();

/** Most task states that can run at once. */
export function width(s: Structure): number {
  if (s.kind === 'task') return 1;
  let w = widths.get(s);
  if (w === undefined) {
    if (s.kind === 'map') w = Math.min(s.maxConcurrency, s.tasks.length);
    else if (s.kind === 'series') w = Math.max(...s.steps.map(width));
    else w = s.branches.reduce((sum, b) => sum + width(b), 0);
    widths.set(s, w);
  }
  return w;
}

/**
 * Makespan under the given task durations: series adds, parallel takes the slowest branch, a map
 * hands its tasks in order to the first free slot.
 */
export function makespan(s: Structure, duration: (task: string) => number): number {
  if (s.kind === 'task') return duration(s.task);
  if (s.kind === 'series') return s.steps.reduce((sum, step) => sum + makespan(step, duration), 0);
  if (s.kind === 'map') return listSchedule(s.tasks.map(duration), s.maxConcurrency);
  return Math.max(...s.branches.map((b) => makespan(b, duration)));
}

/** Time to run jobs of these durations, in order, each on the first of `slots` to free up. */
export function listSchedule(durations: readonly number[], slots: number): number {
  const free = new Array<number>(Math.max(1, Math.min(slots, durations.length))).fill(0);
  for (const d of durations) {
    let first = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[first]) first = i;
    free[first] += d;
  }
  return Math.max(0, ...free);
}

export function tasksOf(s: Structure): string[] {
  if (s.kind === 'task') return [s.task];
  if (s.kind === 'map') return [...s.tasks];
  return (s.kind === 'series' ? s.steps : s.branches).flatMap(tasksOf);
}
