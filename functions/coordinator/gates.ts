import type { DoneRequest, WaitRequest } from '../../core/contracts/coordinator.ts';

/**
 * What the coordinator knows of one gated execution: which tasks have reported, which it has released
 * (and must not release twice), which wait, and which releases may not have been delivered yet.
 */
export interface Gates {
  /** Tasks that reported their output. */
  readonly done: readonly string[];
  /** Released and not yet reported: what they need, to rebuild their release. */
  readonly running: Readonly<Record<string, readonly string[]>>;
  /** Registered and not released. */
  readonly waiting: Readonly<Record<string, { readonly needs: readonly string[]; readonly rank: number }>>;
  /** Released, but their SendTaskSuccess may not have gone through: sent again by the next call. */
  readonly pending: readonly string[];
  /** max_concurrent_tasks, from the gates. */
  readonly limit?: number;
}

export const NO_GATES: Gates = { done: [], running: {}, waiting: {}, pending: [] };

/** A task to release: what it needs (whose outputs make its release). */
export interface Release {
  readonly task: string;
  readonly needs: readonly string[];
}

/**
 * A gate registered: the task waits, unless it already runs (a retried gate: release it again with
 * the new token) or has reported (nothing to do). Then whatever is ready is released.
 */
export function registerWait(gates: Gates, request: WaitRequest): { gates: Gates; releases: Release[] } {
  const { task, needs, rank } = request;
  const limit = gates.limit ?? request.limit;
  if (gates.done.includes(task)) return { gates, releases: [] };
  if (task in gates.running) return { gates: { ...gates, pending: union(gates.pending, [task]) }, releases: [{ task, needs: gates.running[task] }] };
  return releaseReady({ ...gates, limit, waiting: { ...gates.waiting, [task]: { needs, rank } } });
}

/** A task reported: it is done, its slot is free, and whatever is now ready is released. */
export function registerDone(gates: Gates, request: DoneRequest): { gates: Gates; releases: Release[] } {
  const { task } = request;
  if (gates.done.includes(task)) return { gates, releases: [] };
  const { [task]: _finished, ...running } = gates.running;
  const { [task]: _skipped, ...waiting } = gates.waiting;
  return releaseReady({ ...gates, done: [...gates.done, task], running, waiting, pending: gates.pending.filter((t) => t !== task) });
}

/** Waiting tasks whose needs have all reported, lowest rank first, while fewer than `limit` run. */
function releaseReady(gates: Gates): { gates: Gates; releases: Release[] } {
  const done = new Set(gates.done);
  const ready = Object.entries(gates.waiting)
    .filter(([, gate]) => gate.needs.every((n) => done.has(n)))
    .sort(([a, x], [b, y]) => x.rank - y.rank || (a < b ? -1 : 1));
  const slots = (gates.limit ?? Infinity) - Object.keys(gates.running).length;
  const released = ready.slice(0, Math.max(0, slots)).map(([task, gate]) => ({ task, needs: gate.needs }));
  if (released.length === 0) return { gates, releases: [] };
  const waiting = { ...gates.waiting };
  const running = { ...gates.running };
  for (const r of released) {
    delete waiting[r.task];
    running[r.task] = r.needs;
  }
  return { gates: { ...gates, waiting, running, pending: union(gates.pending, released.map((r) => r.task)) }, releases: released };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
