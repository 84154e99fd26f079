/**
 * The shape a workflow runs in, before it becomes ASL: tasks composed in series and in parallel.
 * A dependency graph maps onto this tree exactly when it is series-parallel; the graph analysis
 * serialises edges (and says which) when it is not.
 */
export type Structure =
  | { readonly kind: 'task'; readonly task: string }
  | { readonly kind: 'series'; readonly steps: readonly Structure[] }
  | { readonly kind: 'parallel'; readonly branches: readonly Structure[] };

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

/** Most task states that can run at once. */
export function width(s: Structure): number {
  if (s.kind === 'task') return 1;
  if (s.kind === 'series') return Math.max(...s.steps.map(width));
  return s.branches.reduce((sum, b) => sum + width(b), 0);
}

/** Makespan under the given task durations: series adds, parallel takes the slowest branch. */
export function makespan(s: Structure, duration: (task: string) => number): number {
  if (s.kind === 'task') return duration(s.task);
  if (s.kind === 'series') return s.steps.reduce((sum, step) => sum + makespan(step, duration), 0);
  return Math.max(...s.branches.map((b) => makespan(b, duration)));
}

export function tasksOf(s: Structure): string[] {
  if (s.kind === 'task') return [s.task];
  return (s.kind === 'series' ? s.steps : s.branches).flatMap(tasksOf);
}

/**
 * Rewrites `s` so that at most `limit` task states run at once. Branches of an over-wide Parallel
 * are packed into lanes (longest first onto the least-loaded lane), each lane running its share in
 * series; a Parallel state has no concurrency cap of its own.
 */
export function limitWidth(s: Structure, limit: number, weight: (task: string) => number = () => 1): Structure {
  if (s.kind === 'task') return s;
  if (s.kind === 'series') return series(s.steps.map((step) => limitWidth(step, limit, weight)));
  const branches = s.branches.map((b) => limitWidth(b, limit, weight));
  if (branches.reduce((sum, b) => sum + width(b), 0) <= limit) return parallel(branches);

  const load = (b: Structure) => makespan(b, weight);
  const lanes: { items: Structure[]; width: number; load: number }[] = [];
  const totalWidth = () => lanes.reduce((sum, l) => sum + l.width, 0);
  for (const branch of [...branches].sort((a, b) => load(b) - load(a))) {
    const w = width(branch);
    if (totalWidth() + w <= limit) {
      lanes.push({ items: [branch], width: w, load: load(branch) });
      continue;
    }
    const lane = [...lanes].sort((a, b) => a.load - b.load)[0];
    const room = limit - (totalWidth() - lane.width);
    const fitted = w <= room ? branch : limitWidth(branch, Math.max(1, room), weight);
    lane.items.push(fitted);
    lane.width = Math.max(lane.width, width(fitted));
    lane.load += load(fitted);
  }
  return parallel(lanes.map((l) => series(l.items)));
}
