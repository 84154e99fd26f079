/**
 * The dependency graph indexed for the structure search: tasks are numbers in topological order, sets
 * of tasks are bitsets, and every task knows all its (transitive) dependencies.
 */

/** A set of task indexes, one bit each. */
export type Bitset = Uint32Array;

export const bitset = (size: number): Bitset => new Uint32Array((size + 31) >>> 5);
export const has = (set: Bitset, i: number): boolean => (set[i >>> 5] & (1 << (i & 31))) !== 0;
export const add = (set: Bitset, i: number): void => {
  set[i >>> 5] |= 1 << (i & 31);
};

/** Members of `set` not in `other`. */
export function countMissing(set: Bitset, other: Bitset): number {
  let count = 0;
  for (let w = 0; w < set.length; w++) count += popcount(set[w] & ~other[w]);
  return count;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export interface Poset {
  /** Task names, in topological order (definition order wherever the dependencies allow). */
  readonly names: readonly string[];
  /** Direct dependencies of each task, as indexes (always smaller than the task's own). */
  readonly deps: readonly (readonly number[])[];
  /** Every transitive dependency of each task. */
  readonly ancestors: readonly Bitset[];
  /** Expected run time of each task (1 when nothing is known). */
  readonly weight: readonly number[];
}

export function poset(order: readonly string[], depsOf: (task: string) => readonly string[], weightOf: (task: string) => number): Poset {
  const index = new Map(order.map((name, i) => [name, i]));
  const deps = order.map((name) => [...new Set(depsOf(name))].map((d) => index.get(d)!).filter((d) => d !== undefined));
  const ancestors: Bitset[] = [];
  for (let i = 0; i < order.length; i++) {
    const set = bitset(order.length);
    for (const d of deps[i]) {
      add(set, d);
      const inherited = ancestors[d];
      for (let w = 0; w < set.length; w++) set[w] |= inherited[w];
    }
    ancestors.push(set);
  }
  return { names: order, deps, ancestors, weight: order.map(weightOf) };
}

/**
 * Longest weighted path through the sub-graph on `nodes` (ascending indexes, so in topological order),
 * counting only dependencies inside it. `inside` marks the members; `finish` is scratch space.
 */
export function criticalPath(p: Poset, nodes: readonly number[], inside: Uint8Array, finish: Float64Array): number {
  let longest = 0;
  for (const v of nodes) {
    let start = 0;
    for (const d of p.deps[v]) if (inside[d] && finish[d] > start) start = finish[d];
    finish[v] = start + p.weight[v];
    if (finish[v] > longest) longest = finish[v];
  }
  return longest;
}

/** Connected pieces of the sub-graph on `nodes`, ignoring direction; each keeps ascending order. */
export function weakComponents(p: Poset, nodes: readonly number[]): number[][] {
  const inside = new Map(nodes.map((n, i) => [n, i]));
  const parent = nodes.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (const [i, v] of nodes.entries()) {
    for (const d of p.deps[v]) {
      const j = inside.get(d);
      if (j !== undefined) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, number[]>();
  for (const [i, v] of nodes.entries()) {
    const root = find(i);
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root)!.push(v);
  }
  return [...groups.values()];
}
