import { has, type Poset } from './poset.ts';

/** Sub-graphs up to this many tasks are searched exhaustively (bitmasks of one 32-bit word). */
export const EXHAUSTIVE_MAX_TASKS = 16;

/**
 * Cuts the exhaustive searches of one graph may try, all together; past it, what is left goes to the
 * heuristic. Keeps a 200-task graph well under a second however its sub-graphs fall.
 */
export const EXHAUSTIVE_BUDGET = 100_000;

/** What is left of the budget, shared by the searches of one graph. */
export interface Budget {
  left: number;
}

/** How the best nested structure of a sub-graph is made, by local bitmask. */
type Decision =
  | { readonly kind: 'task'; readonly cost: number }
  | { readonly kind: 'parallel'; readonly parts: readonly number[]; readonly cost: number }
  | { readonly kind: 'series'; readonly before: number; readonly after: number; readonly cost: number };

/** The optimum as a tree of global task indexes. */
export type Shape =
  | { readonly kind: 'task'; readonly task: number }
  | { readonly kind: 'parallel'; readonly parts: readonly Shape[] }
  | { readonly kind: 'series'; readonly before: Shape; readonly after: Shape; readonly exact: boolean };

class OverBudget extends Error {}

/**
 * The series-parallel structure with the shortest makespan for a small sub-graph, over every
 * dependency-closed cut (dynamic programming on subsets): parallel where the sub-graph falls apart,
 * series at an exact split, otherwise the cut whose two sides give the least time. Undefined when the
 * search would spend more than what is left of `budget`.
 */
export function exhaustiveShape(p: Poset, nodes: readonly number[], budget: Budget = { left: EXHAUSTIVE_BUDGET }): Shape | undefined {
  const k = nodes.length;
  if (k > EXHAUSTIVE_MAX_TASKS || budget.left <= 0) return undefined;
  const local = new Map(nodes.map((v, i) => [v, i]));
  // Dependencies and neighbours of each task, as local masks.
  const ancestors = nodes.map((v) => nodes.reduce((mask, u, j) => (has(p.ancestors[v], u) ? mask | (1 << j) : mask), 0));
  const neighbours = nodes.map(() => 0);
  nodes.forEach((v, i) => {
    for (const d of p.deps[v]) {
      const j = local.get(d);
      if (j === undefined) continue;
      neighbours[i] |= 1 << j;
      neighbours[j] |= 1 << i;
    }
  });
  const memo = new Map<number, Decision>();

  const solve = (mask: number): Decision => {
    const known = memo.get(mask);
    if (known) return known;
    let decision: Decision;
    const members = bits(mask);
    if (members.length === 1) {
      decision = { kind: 'task', cost: p.weight[nodes[members[0]]] };
    } else {
      const parts = components(mask, neighbours);
      if (parts.length > 1) {
        decision = { kind: 'parallel', parts, cost: Math.max(...parts.map((part) => solve(part).cost)) };
      } else {
        decision = exactSplit(mask, members, ancestors) ?? bestSplit(mask, members);
      }
    }
    memo.set(mask, decision);
    return decision;
  };

  const exactSplit = (mask: number, members: number[], anc: number[]): Decision | undefined => {
    let before = 0;
    for (const v of members) {
      const b = anc[v] & mask;
      if (b === 0 || (before !== 0 && popcount(b) >= popcount(before))) continue;
      if (members.every((a) => (b >>> a) & 1 || (anc[a] & b) === b)) before = b;
    }
    if (before === 0) return undefined;
    const after = mask & ~before;
    return { kind: 'series', before, after, cost: solve(before).cost + solve(after).cost };
  };

  // Longest path through a sub-graph: no structure of it can be faster, so it bounds the search.
  const paths = new Map<number, number>();
  const weights = nodes.map((v) => p.weight[v]);
  const pathOf = (mask: number): number => {
    let known = paths.get(mask);
    if (known !== undefined) return known;
    const finish: number[] = [];
    known = 0;
    for (const v of bits(mask)) {
      let start = 0;
      for (const u of bits(ancestors[v] & mask)) if (finish[u] > start) start = finish[u];
      finish[v] = start + weights[v];
      if (finish[v] > known) known = finish[v];
    }
    paths.set(mask, known);
    return known;
  };

  const bestSplit = (mask: number, members: number[]): Decision => {
    let best: Decision | undefined;
    const floor = pathOf(mask) + 1e-9;
    // Every dependency-closed subset, built task by task in topological order; a cut whose two
    // longest paths already lose to the best is skipped, and the search stops at the critical path.
    const visit = (i: number, before: number): boolean => {
      if (i === members.length) {
        if (before === 0 || before === mask) return false;
        if (--budget.left < 0) throw new OverBudget();
        const after = mask & ~before;
        if (best && pathOf(before) + pathOf(after) >= best.cost - 1e-9) return false;
        const cost = solve(before).cost + solve(after).cost;
        if (!best || cost < best.cost - 1e-9) best = { kind: 'series', before, after, cost };
        return best.cost <= floor;
      }
      const v = members[i];
      if (visit(i + 1, before)) return true;
      return (ancestors[v] & mask & ~before) === 0 && visit(i + 1, before | (1 << v));
    };
    visit(0, 0);
    return best!;
  };

  const shape = (mask: number): Shape => {
    const d = memo.get(mask)!;
    if (d.kind === 'task') return { kind: 'task', task: nodes[bits(mask)[0]] };
    if (d.kind === 'parallel') return { kind: 'parallel', parts: d.parts.map(shape) };
    const exact = bits(d.after).every((a) => (ancestors[a] & d.before) === d.before);
    return { kind: 'series', before: shape(d.before), after: shape(d.after), exact };
  };

  const all = k === 32 ? -1 : (1 << k) - 1;
  try {
    solve(all);
  } catch (error) {
    if (error instanceof OverBudget) return undefined;
    throw error;
  }
  return shape(all);
}

function components(mask: number, neighbours: readonly number[]): number[] {
  const parts: number[] = [];
  let left = mask;
  while (left !== 0) {
    let part = left & -left;
    let frontier = part;
    while (frontier !== 0) {
      const v = 31 - Math.clz32(frontier & -frontier);
      frontier &= frontier - 1;
      const fresh = neighbours[v] & mask & ~part;
      part |= fresh;
      frontier |= fresh;
    }
    parts.push(part);
    left &= ~part;
  }
  return parts;
}

function bits(mask: number): number[] {
  const out: number[] = [];
  for (let m = mask; m !== 0; m &= m - 1) out.push(31 - Math.clz32(m & -m));
  return out;
}

function popcount(x: number): number {
  let count = 0;
  for (let m = x; m !== 0; m &= m - 1) count++;
  return count;
}
