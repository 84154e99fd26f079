import { DefinitionError } from '../errors.ts';
import { exactCut, heuristicCut, scratch, type Cut } from './private/cuts.ts';
import { EXHAUSTIVE_BUDGET, exhaustiveShape, type Shape } from './private/exhaustive.ts';
import { has, poset, weakComponents, type Poset } from './private/poset.ts';
import { parallel, series, task, type Structure } from './structure.ts';

/** task → the tasks it depends on. Insertion order is definition order. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/** Expected run time of a task; the same for every task when nothing is known. */
export type Weight = (task: string) => number;

export const unitWeight: Weight = () => 1;

/** A wait the compiler added so the graph fits Parallel states: `task` also waits for `waitsFor`. */
export interface SerialisedEdge {
  readonly task: string;
  readonly waitsFor: string;
}

/** Topological order that keeps definition order wherever the dependencies allow (Kahn, stable). */
export function topologicalOrder(graph: DependencyGraph): string[] {
  const names = [...graph.keys()];
  const index = new Map(names.map((n, i) => [n, i]));
  const missing = names.map((n) => new Set(graph.get(n) ?? []).size);
  const dependants = names.map((): number[] => []);
  names.forEach((n, i) => {
    for (const d of new Set(graph.get(n) ?? [])) {
      const j = index.get(d);
      if (j === undefined) missing[i]--; // validation reports unknown dependencies first
      else dependants[j].push(i);
    }
  });
  // The ready task that comes first in the definition runs first: a binary heap of indexes.
  const ready: number[] = [];
  const push = (i: number) => {
    ready.push(i);
    for (let c = ready.length - 1; c > 0;) {
      const parent = (c - 1) >> 1;
      if (ready[parent] <= ready[c]) break;
      [ready[parent], ready[c]] = [ready[c], ready[parent]];
      c = parent;
    }
  };
  const pop = (): number => {
    const top = ready[0];
    const last = ready.pop()!;
    if (ready.length > 0) {
      ready[0] = last;
      for (let c = 0; ;) {
        const l = 2 * c + 1;
        const r = l + 1;
        let m = c;
        if (l < ready.length && ready[l] < ready[m]) m = l;
        if (r < ready.length && ready[r] < ready[m]) m = r;
        if (m === c) break;
        [ready[m], ready[c]] = [ready[c], ready[m]];
        c = m;
      }
    }
    return top;
  };
  names.forEach((_, i) => missing[i] === 0 && push(i));
  const order: string[] = [];
  while (ready.length > 0) {
    const i = pop();
    order.push(names[i]);
    for (const j of dependants[i]) if (--missing[j] === 0) push(j);
  }
  if (order.length < names.length) throw new DefinitionError('dependency graph has a cycle'); // validation reports cycles first
  return order;
}

/** One task at a time, in definition order where the dependencies allow. */
export function sequentialStructure(graph: DependencyGraph): Structure {
  return series(topologicalOrder(graph).map(task));
}

/**
 * Tasks in stages of dependency depth: every task of a stage runs once every task of the stage before
 * has. Exact for equal durations without a cap; under one, each stage is handed out on its own.
 */
export function levelStructure(graph: DependencyGraph): Structure {
  const depth = new Map<string, number>();
  const stages: string[][] = [];
  for (const name of topologicalOrder(graph)) {
    const d = Math.max(-1, ...(graph.get(name) ?? []).map((dep) => depth.get(dep) ?? -1)) + 1;
    depth.set(name, d);
    (stages[d] ??= []).push(name);
  }
  return series(stages.map((tasks) => parallel(tasks.map(task))));
}

/**
 * The nested (series-parallel) structure of a dependency graph that runs it fastest under `weight`.
 * Where the graph splits exactly (every task after depends on every task before, or independent
 * pieces) the structure is exact: each task starts once its dependencies are done. Elsewhere it cuts
 * the graph where the longest path before plus the longest path after is shortest, trying every cut of
 * small sub-graphs (up to 16 tasks) and promising candidates of larger ones; the waits such a cut adds
 * between the last tasks before it and the first tasks after it are returned, so callers can say so.
 */
export function parallelStructure(graph: DependencyGraph, weight: Weight = unitWeight): { structure: Structure; serialised: SerialisedEdge[] } {
  const p = poset(topologicalOrder(graph), (t) => graph.get(t) ?? [], weight);
  const s = scratch(p.names.length);
  const budget = { left: EXHAUSTIVE_BUDGET };
  const serialised: SerialisedEdge[] = [];
  const build = (nodes: number[]): Structure => {
    if (nodes.length === 1) return task(p.names[nodes[0]]);
    const pieces = weakComponents(p, nodes);
    if (pieces.length > 1) return parallel(pieces.map(build));
    const exact = exactCut(p, nodes);
    if (exact) return series([build(exact.before), build(exact.after)]);
    const shape = exhaustiveShape(p, nodes, budget);
    if (shape) return fromShape(p, shape, serialised);
    const cut = heuristicCut(p, nodes, s);
    serialised.push(...addedWaits(p, cut));
    return series([build(cut.before), build(cut.after)]);
  };
  return { structure: build(p.names.map((_, i) => i)), serialised };
}

function fromShape(p: Poset, shape: Shape, serialised: SerialisedEdge[]): Structure {
  if (shape.kind === 'task') return task(p.names[shape.task]);
  if (shape.kind === 'parallel') return parallel(shape.parts.map((part) => fromShape(p, part, serialised)));
  if (!shape.exact) serialised.push(...addedWaits(p, { before: tasksOfShape(shape.before), after: tasksOfShape(shape.after) }));
  return series([fromShape(p, shape.before, serialised), fromShape(p, shape.after, serialised)]);
}

function tasksOfShape(shape: Shape): number[] {
  if (shape.kind === 'task') return [shape.task];
  const parts = shape.kind === 'parallel' ? shape.parts : [shape.before, shape.after];
  return parts.flatMap(tasksOfShape).sort((a, b) => a - b);
}

/** Waits a cut adds between the last tasks before it and the first tasks after it. */
function addedWaits(p: Poset, cut: Cut): SerialisedEdge[] {
  const last = cut.before.filter((b) => !cut.before.some((other) => has(p.ancestors[other], b)));
  const first = cut.after.filter((a) => !cut.after.some((other) => has(p.ancestors[a], other)));
  const edges: SerialisedEdge[] = [];
  for (const a of first) for (const b of last) if (!has(p.ancestors[a], b)) edges.push({ task: p.names[a], waitsFor: p.names[b] });
  return edges;
}
