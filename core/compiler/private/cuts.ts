import { add, bitset, countMissing, criticalPath, has, type Bitset, type Poset } from './poset.ts';

/**
 * A series split of a connected sub-graph: every task of `before` runs before any task of `after`.
 * `before` is closed under dependencies. The split is exact when every task after depends on every task
 * before; otherwise some tasks after wait for tasks they do not depend on.
 */
export interface Cut {
  readonly before: number[];
  readonly after: number[];
}

/** Scratch arrays sized for the whole graph, reused by every search. */
export interface Scratch {
  readonly inside: Uint8Array;
  readonly finish: Float64Array;
}

export const scratch = (size: number): Scratch => ({ inside: new Uint8Array(size), finish: new Float64Array(size) });

/**
 * The finest exact split, if there is one. If (B, A) is exact and `a` is a first task of A, B is
 * exactly `a`'s dependencies inside the sub-graph: so trying each task's dependencies finds them all.
 */
export function exactCut(p: Poset, nodes: readonly number[]): Cut | undefined {
  let best: Cut | undefined;
  for (const v of nodes) {
    const before = nodes.filter((u) => has(p.ancestors[v], u));
    if (before.length === 0 || (best && before.length >= best.before.length)) continue;
    const set = toBitset(before, p.names.length);
    const after = nodes.filter((u) => !has(set, u));
    if (after.every((a) => countMissing(set, p.ancestors[a]) === 0)) best = { before, after };
  }
  return best;
}

/**
 * The split with the shortest longest-path before plus longest-path after, among candidate cuts:
 * each task's dependencies (with and without the task), dependency depth, earliest finish and latest
 * start. Ties go to the split adding fewer waits, then to the smaller `before`. Linear in candidates,
 * each costing one pass over the sub-graph's edges.
 */
export function heuristicCut(p: Poset, nodes: readonly number[], s: Scratch): Cut {
  const candidates = candidateCuts(p, nodes, s);
  let best: { cut: Cut; cost: number; waits: number } | undefined;
  const seen = new Set<string>();
  for (const before of candidates) {
    if (before.length === 0 || before.length === nodes.length) continue;
    const key = before.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const set = toBitset(before, p.names.length);
    const after = nodes.filter((u) => !has(set, u));
    const cost = pathLength(p, before, s) + pathLength(p, after, s);
    if (best && cost > best.cost + EPSILON) continue;
    const waits = after.reduce((sum, a) => sum + countMissing(set, p.ancestors[a]), 0);
    if (!best || cost < best.cost - EPSILON || waits < best.waits || (waits === best.waits && before.length < best.cut.before.length)) {
      best = { cut: { before, after }, cost, waits };
    }
  }
  return best!.cut;
}

const EPSILON = 1e-9;

/** Downward-closed subsets worth trying, each as ascending indexes. */
function candidateCuts(p: Poset, nodes: readonly number[], s: Scratch): number[][] {
  const { inside } = s;
  for (const v of nodes) inside[v] = 1;
  // Earliest start and finish, and unit depth, inside the sub-graph.
  const start = new Map<number, number>();
  const depth = new Map<number, number>();
  for (const v of nodes) {
    let st = 0;
    let dp = 0;
    for (const d of p.deps[v]) {
      if (!inside[d]) continue;
      st = Math.max(st, start.get(d)! + p.weight[d]);
      dp = Math.max(dp, depth.get(d)! + 1);
    }
    start.set(v, st);
    depth.set(v, dp);
  }
  // Latest start that keeps the critical path, from the end.
  const span = Math.max(...nodes.map((v) => start.get(v)! + p.weight[v]));
  const latest = new Map<number, number>(nodes.map((v) => [v, span - p.weight[v]]));
  for (let i = nodes.length - 1; i >= 0; i--) {
    const v = nodes[i];
    for (const d of p.deps[v]) if (inside[d]) latest.set(d, Math.min(latest.get(d)!, latest.get(v)! - p.weight[d]));
  }
  for (const v of nodes) inside[v] = 0;

  const cuts: number[][] = [];
  for (const v of nodes) {
    const ancestors = nodes.filter((u) => has(p.ancestors[v], u));
    cuts.push(ancestors, [...ancestors, v].sort((a, b) => a - b));
  }
  const thresholds = (value: (v: number) => number, strict: boolean) => {
    for (const t of new Set(nodes.map(value))) cuts.push(nodes.filter((v) => (strict ? value(v) < t : value(v) <= t)));
  };
  thresholds((v) => depth.get(v)!, true);
  thresholds((v) => start.get(v)! + p.weight[v], false);
  thresholds((v) => latest.get(v)!, true);
  return cuts;
}

function pathLength(p: Poset, nodes: readonly number[], s: Scratch): number {
  for (const v of nodes) s.inside[v] = 1;
  const length = criticalPath(p, nodes, s.inside, s.finish);
  for (const v of nodes) s.inside[v] = 0;
  return length;
}

function toBitset(nodes: readonly number[], size: number): Bitset {
  const set = bitset(size);
  for (const v of nodes) add(set, v);
  return set;
}
