import { handOut, makespan, parallel, series, width, type Structure } from './structure.ts';

/** Lanes beyond which only the least-loaded partners are tried when two lanes are combined. */
const PARTNERS = 6;

interface Lane {
  readonly structure: Structure;
  /** Task states it may run at once. */
  readonly cap: number;
  readonly load: number;
  /** Independent tasks only: may become (or grow) a Map hand-out. */
  readonly tasks?: readonly string[];
}

/**
 * Rewrites `s` so that at most `limit` task states run at once, losing as little time as it can:
 * - a fan-out of independent tasks becomes a hand-out (a Map with MaxConcurrency), longest first,
 *   so each task starts as soon as a slot is free;
 * - other over-wide Parallel states become lanes sharing the limit. While the lanes ask for more than
 *   the limit, the cheapest of these moves is made: narrow a lane, run one lane after another, run a
 *   lane beside a narrow step of another (into its spare capacity), or hand out two lanes of independent
 *   tasks together. "Cheapest" is the shortest resulting makespan under `weight`.
 * `mappable` says which tasks may run as Map iterations (all, unless the caller says otherwise).
 */
export function limitWidth(
  s: Structure,
  limit: number,
  weight: (task: string) => number = () => 1,
  mappable: (task: string) => boolean = () => true,
): Structure {
  const loads = new WeakMap<Structure, number>();
  const load = (x: Structure): number => {
    let value = loads.get(x);
    if (value === undefined) {
      value = x.kind === 'series' ? x.steps.reduce((sum, step) => sum + load(step), 0)
        : x.kind === 'parallel' ? Math.max(...x.branches.map(load))
          : makespan(x, weight);
      loads.set(x, value);
    }
    return value;
  };
  const longestFirst = (tasks: readonly string[]) => [...tasks].sort((a, b) => weight(b) - weight(a));
  const lane = (structure: Structure, tasks?: readonly string[]): Lane => ({ structure, cap: width(structure), load: load(structure), tasks });
  const handOutLane = (tasks: readonly string[], cap: number) => lane(handOut(longestFirst(tasks), cap), tasks);

  const fit = (x: Structure, cap: number): Structure => {
    if (width(x) <= cap) return x;
    if (x.kind === 'map') return handOut(x.tasks, cap);
    if (x.kind === 'task') return x;
    const nested = x.kind === 'series' ? series(x.steps.map((step) => fit(step, cap))) : pack(x.branches.map((b) => fit(b, cap)), cap);
    const stages = staged(x, cap);
    return stages && load(stages) < load(nested) - 1e-9 ? stages : nested;
  };

  const pack = (branches: readonly Structure[], cap: number): Structure => {
    if (branches.reduce((sum, b) => sum + width(b), 0) <= cap) return parallel(branches);
    return packLanes(branches, cap);
  };

  /**
   * The tasks of `x` in stages, one per step of depth, each stage handed out `cap` at a time: what the
   * lanes cannot do, balancing many small branches across the slots. Undefined when a task may not be
   * a Map iteration.
   */
  const staged = (x: Structure, cap: number): Structure | undefined => {
    const stages: string[][] = [];
    const place = (s: Structure, depth: number): number => {
      if (s.kind === 'task' || s.kind === 'map') {
        (stages[depth] ??= []).push(...(s.kind === 'task' ? [s.task] : s.tasks));
        return 1;
      }
      if (s.kind === 'series') return s.steps.reduce((d, step) => d + place(step, depth + d), 0);
      return Math.max(...s.branches.map((b) => place(b, depth)));
    };
    place(x, 0);
    if (stages.some((tasks) => tasks.some((t) => !mappable(t)))) return undefined;
    return series(stages.map((tasks) => handOut(longestFirst(tasks), cap)));
  };

  const packLanes = (branches: readonly Structure[], cap: number): Structure => {
    const singles = branches.flatMap((b) => (b.kind === 'task' && mappable(b.task) ? [b.task] : []));
    const lanes: Lane[] = branches.filter((b) => !(b.kind === 'task' && mappable(b.task))).map((b) => lane(b));
    if (singles.length > 0) lanes.push(handOutLane(singles, Math.min(cap, singles.length)));
    let total = lanes.reduce((sum, l) => sum + l.cap, 0);
    while (total > cap) {
      const move = cheapestMove(lanes, cap);
      lanes.splice(0, lanes.length, ...move);
      total = lanes.reduce((sum, l) => sum + l.cap, 0);
    }
    return parallel(lanes.map((l) => l.structure));
  };

  /** The lanes after the move that frees capacity at the least cost. */
  const cheapestMove = (lanes: readonly Lane[], cap: number): Lane[] => {
    let best: { lanes: Lane[]; load: number; freed: number } | undefined;
    const before = lanes.reduce((sum, l) => sum + l.cap, 0);
    const consider = (replaced: readonly number[], added: Lane) => {
      if (added.cap > cap) return;
      const next = lanes.filter((_, i) => !replaced.includes(i));
      next.push(added);
      const freed = before - next.reduce((sum, l) => sum + l.cap, 0);
      if (freed <= 0) return;
      const longest = Math.max(...next.map((l) => l.load));
      if (!best || longest < best.load - 1e-9 || (Math.abs(longest - best.load) <= 1e-9 && freed > best.freed)) {
        best = { lanes: next, load: longest, freed };
      }
    };
    const order = lanes.map((_, i) => i).sort((a, b) => lanes[a].load - lanes[b].load);
    lanes.forEach((l, i) => {
      if (l.cap > 1) consider([i], l.tasks ? handOutLane(l.tasks, l.cap - 1) : lane(fit(l.structure, l.cap - 1)));
      const partners = lanes.length > PARTNERS ? order.slice(0, PARTNERS) : order;
      for (const j of partners) {
        if (j === i) continue;
        const other = lanes[j];
        if (j > i || lanes.length > PARTNERS) {
          if (l.tasks && other.tasks) consider([i, j], handOutLane([...l.tasks, ...other.tasks], Math.max(l.cap, other.cap)));
          consider([i, j], lane(series([l.structure, other.structure])));
        }
        // `other` beside a narrow step of `l`.
        if (l.structure.kind !== 'series') continue;
        const steps = l.structure.steps;
        steps.forEach((step, k) => {
          if (width(step) + other.cap >= l.cap + other.cap) return;
          const zipped = steps.map((x, m) => (m === k ? parallel([x, other.structure]) : x));
          consider([i, j], lane(series(zipped)));
        });
      }
    });
    return best!.lanes;
  };

  return fit(s, Math.max(1, limit));
}
