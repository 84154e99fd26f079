import { DefinitionError } from '../errors.ts';
import { parallel, series, task, type Structure } from './structure.ts';

/** task → the tasks it depends on. Insertion order is definition order. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/** An edge the compiler added so the graph fits Parallel states: `task` also waits for `waitsFor`. */
export interface SerialisedEdge {
  readonly task: string;
  readonly waitsFor: string;
}

/** Topological order that keeps definition order wherever the dependencies allow (Kahn, stable). */
export function topologicalOrder(graph: DependencyGraph): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const names = [...graph.keys()];
  while (order.length < names.length) {
    const next = names.find((n) => !done.has(n) && (graph.get(n) ?? []).every((d) => done.has(d)));
    if (next === undefined) throw new DefinitionError('dependency graph has a cycle'); // validation reports cycles first
    order.push(next);
    done.add(next);
  }
  return order;
}

/** One task at a time, in definition order where the dependencies allow. */
export function sequentialStructure(graph: DependencyGraph): Structure {
  return series(topologicalOrder(graph).map(task));
}

/**
 * The series-parallel structure of a dependency graph: a task starts as soon as all its dependencies
 * are done. Exact for series-parallel graphs; otherwise the smallest set of extra waits is added
 * (greedily, per split) and returned so the caller can warn about each.
 */
export function parallelStructure(graph: DependencyGraph): { structure: Structure; serialised: SerialisedEdge[] } {
  const ancestors = ancestorSets(graph);
  const serialised: SerialisedEdge[] = [];
  const order = topologicalOrder(graph);

  const build = (nodes: readonly string[]): Structure => {
    if (nodes.length === 1) return task(nodes[0]);
    const components = weakComponents(nodes, graph);
    if (components.length > 1) return parallel(components.map(build));
    const [before, after, added] = bestSeriesSplit(nodes, ancestors);
    // Name only the waits between the last tasks before and the first tasks after; the rest follow.
    const last = before.filter((a) => !before.some((other) => ancestors.get(other)!.has(a)));
    const first = new Set(after.filter((b) => !after.some((other) => ancestors.get(b)!.has(other))));
    serialised.push(...added.filter((e) => last.includes(e.waitsFor) && first.has(e.task)));
    return series([build(before), build(after)]);
  };

  return { structure: build(order), serialised };
}

/** Every (transitive) dependency of each task. */
function ancestorSets(graph: DependencyGraph): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const name of topologicalOrder(graph)) {
    const set = new Set<string>();
    for (const dep of graph.get(name) ?? []) {
      set.add(dep);
      for (const a of result.get(dep) ?? []) set.add(a);
    }
    result.set(name, set);
  }
  return result;
}

/** Connected pieces of the sub-graph on `nodes`, ignoring direction; each keeps `nodes`' order. */
function weakComponents(nodes: readonly string[], graph: DependencyGraph): string[][] {
  const inside = new Set(nodes);
  const neighbours = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const n of nodes) {
    for (const d of graph.get(n) ?? []) {
      if (!inside.has(d)) continue;
      neighbours.get(n)!.push(d);
      neighbours.get(d)!.push(n);
    }
  }
  const component = new Map<string, number>();
  let count = 0;
  for (const start of nodes) {
    if (component.has(start)) continue;
    const stack = [start];
    component.set(start, count);
    while (stack.length) {
      for (const next of neighbours.get(stack.pop()!)!) {
        if (!component.has(next)) {
          component.set(next, count);
          stack.push(next);
        }
      }
    }
    count++;
  }
  return Array.from({ length: count }, (_, i) => nodes.filter((n) => component.get(n) === i));
}

/**
 * Splits a connected sub-graph into `before` (run first, completely) and `after`. A true series split
 * is one where every task after depends on every task before: then the split of some task `b` is
 * exactly its ancestors. When no split is exact, the one adding the fewest waits is taken.
 */
function bestSeriesSplit(nodes: readonly string[], ancestors: Map<string, Set<string>>): [string[], string[], SerialisedEdge[]] {
  const inside = new Set(nodes);
  let best: [string[], string[], SerialisedEdge[]] | undefined;
  const candidates = nodes.map((b) => new Set([...ancestors.get(b)!].filter((a) => inside.has(a))));
  // Prefixes of the topological order cover splits that no single task's ancestors describe.
  for (let k = 1; k < nodes.length; k++) candidates.push(new Set(nodes.slice(0, k)));

  for (const before of candidates) {
    if (before.size === 0 || before.size === nodes.length) continue;
    if (![...before].every((n) => [...ancestors.get(n)!].every((a) => !inside.has(a) || before.has(a)))) continue;
    const beforeList = nodes.filter((n) => before.has(n));
    const afterList = nodes.filter((n) => !before.has(n));
    const added: SerialisedEdge[] = [];
    for (const b of afterList) {
      for (const a of beforeList) if (!ancestors.get(b)!.has(a)) added.push({ task: b, waitsFor: a });
    }
    if (!best || added.length < best[2].length || (added.length === best[2].length && beforeList.length < best[0].length)) {
      best = [beforeList, afterList, added];
    }
  }
  return best!;
}
