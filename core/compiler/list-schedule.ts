import { DefinitionError } from '../errors.ts';

/** A task as list scheduling sees it: what it needs, how long it takes, and its place in the queue. */
export interface ScheduledTask {
  readonly task: string;
  readonly needs: readonly string[];
  readonly duration: number;
  /** Among ready tasks, the lowest rank starts first. */
  readonly rank: number;
}

/**
 * The makespan of list scheduling: whenever a slot is free, the ready task of lowest rank starts
 * (a task is ready once everything it needs has finished). With no limit this is the critical path;
 * with one, it is what the gated strategy's coordinator does, and the yardstick for the others.
 */
export function listScheduleMakespan(tasks: readonly ScheduledTask[], limit = Infinity): number {
  const byName = new Map(tasks.map((t) => [t.task, t]));
  const missing = new Map(tasks.map((t) => [t.task, t.needs.filter((n) => byName.has(n)).length]));
  const dependants = new Map<string, string[]>(tasks.map((t) => [t.task, []]));
  for (const t of tasks) for (const n of t.needs) dependants.get(n)?.push(t.task);
  const ready = tasks.filter((t) => missing.get(t.task) === 0);
  const running: { task: ScheduledTask; end: number }[] = [];
  let now = 0;
  let finished = 0;
  while (finished < tasks.length) {
    ready.sort((a, b) => a.rank - b.rank);
    while (ready.length > 0 && running.length < limit) {
      const next = ready.shift()!;
      running.push({ task: next, end: now + next.duration });
    }
    if (running.length === 0) throw new DefinitionError('dependency graph has a cycle') // validation reports cycles first;
    now = Math.min(...running.map((r) => r.end));
    for (let i = running.length - 1; i >= 0; i--) {
      if (running[i].end > now) continue;
      const [done] = running.splice(i, 1);
      finished++;
      for (const d of dependants.get(done.task.task) ?? []) {
        const left = missing.get(d)! - 1;
        missing.set(d, left);
        if (left === 0) ready.push(byName.get(d)!);
      }
    }
  }
  return now;
}

/**
 * Ranks for list scheduling: the longest path still ahead of each task (its own duration included)
 * first, then the order of `tasks`, which must be topological (dependencies before dependants).
 */
export function ranksByRemainingPath(tasks: readonly Omit<ScheduledTask, 'rank'>[]): Map<string, number> {
  const dependants = new Map<string, string[]>(tasks.map((t) => [t.task, []]));
  for (const t of tasks) for (const n of t.needs) dependants.get(n)?.push(t.task);
  const remaining = new Map<string, number>();
  for (let i = tasks.length - 1; i >= 0; i--) {
    const t = tasks[i];
    remaining.set(t.task, t.duration + Math.max(0, ...dependants.get(t.task)!.map((d) => remaining.get(d) ?? 0)));
  }
  const order = tasks.map((t, i) => ({ task: t.task, i })).sort((a, b) => remaining.get(b.task)! - remaining.get(a.task)! || a.i - b.i);
  return new Map(order.map((o, rank) => [o.task, rank]));
}
