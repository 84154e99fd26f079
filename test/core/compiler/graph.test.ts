import { describe, expect, it } from 'vitest';
import { parallelStructure, sequentialStructure, topologicalOrder, type DependencyGraph } from '../../../core/compiler/graph.ts';
import { makespan, type Structure } from '../../../core/compiler/structure.ts';

const graph = (edges: Record<string, string[]>): DependencyGraph => new Map(Object.entries(edges));
const T = (task: string): Structure => ({ kind: 'task', task });
const S = (...steps: Structure[]): Structure => ({ kind: 'series', steps });
const P = (...branches: Structure[]): Structure => ({ kind: 'parallel', branches });

describe('topologicalOrder', () => {
  it('keeps definition order wherever the dependencies allow', () => {
    expect(topologicalOrder(graph({ c: ['b'], a: [], b: ['a'], d: [] }))).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('sequentialStructure', () => {
  it('runs one task at a time', () => {
    expect(sequentialStructure(graph({ a: [], b: [], c: ['a'] }))).toEqual(S(T('a'), T('b'), T('c')));
  });
});

describe('parallelStructure', () => {
  it('keeps a chain a chain', () => {
    expect(parallelStructure(graph({ a: [], b: ['a'], c: ['b'] }))).toEqual({ structure: S(T('a'), T('b'), T('c')), serialised: [] });
  });

  it('runs independent tasks in one Parallel state', () => {
    expect(parallelStructure(graph({ a: [], b: [], c: [] })).structure).toEqual(P(T('a'), T('b'), T('c')));
  });

  it('turns a diamond into fan-out, Parallel, fan-in', () => {
    const { structure } = parallelStructure(graph({ fetch: [], x: ['fetch'], y: ['fetch'], join: ['x', 'y'] }));
    expect(structure).toEqual(S(T('fetch'), P(T('x'), T('y')), T('join')));
  });

  it('nests chains inside branches', () => {
    const { structure } = parallelStructure(graph({ a: [], b: ['a'], c: [], d: ['c'], e: ['b', 'd'] }));
    expect(structure).toEqual(S(P(S(T('a'), T('b')), S(T('c'), T('d'))), T('e')));
  });

  it('splits a complete bipartite stage without adding waits', () => {
    const { structure, serialised } = parallelStructure(graph({ a: [], b: [], c: ['a', 'b'], d: ['a', 'b'] }));
    expect(structure).toEqual(S(P(T('a'), T('b')), P(T('c'), T('d'))));
    expect(serialised).toEqual([]);
  });

  it('runs the N shape in two stages, the critical path, and names the one wait it adds', () => {
    // GIVEN the "N": c needs a and b, d needs only b
    const { structure, serialised } = parallelStructure(graph({ a: [], b: [], c: ['a', 'b'], d: ['b'] }));
    // THEN (a ‖ b); (c ‖ d): two steps, as long as the critical path; d also waits for a
    expect(structure).toEqual(S(P(T('a'), T('b')), P(T('c'), T('d'))));
    expect(serialised).toEqual([{ task: 'd', waitsFor: 'a' }]);
  });

  it('runs the W shape in two stages rather than four', () => {
    // GIVEN the "W": a, c, e on top; b needs a and c, d needs c and e
    const { structure, serialised } = parallelStructure(graph({ a: [], b: ['a', 'c'], c: [], d: ['c', 'e'], e: [] }));
    // THEN every top task, then every bottom task
    expect(structure).toEqual(S(P(T('a'), T('c'), T('e')), P(T('b'), T('d'))));
    expect(makespan(structure, () => 1)).toBe(2);
    expect(serialised).toEqual([{ task: 'b', waitsFor: 'e' }, { task: 'd', waitsFor: 'a' }]);
  });

  it('cuts where the estimates say the least time is lost', () => {
    // GIVEN the N shape where a is long and d is long: (a ‖ b); (c ‖ d) would take 10 + 10
    const weights: Record<string, number> = { a: 10, b: 1, c: 1, d: 10 };
    const { structure } = parallelStructure(graph({ a: [], b: [], c: ['a', 'b'], d: ['b'] }), (t) => weights[t]);
    // THEN b first, then a → c beside d: 1 + max(11, 10) = 12, against a critical path of 11
    expect(structure).toEqual(S(T('b'), P(S(T('a'), T('c')), T('d'))));
    expect(makespan(structure, (t) => weights[t])).toBe(12);
  });

  it('reaches the critical path of layered graphs with equal durations, however large', () => {
    // GIVEN 120 tasks in 12 layers, each needing two tasks of the layer before (not series-parallel)
    const edges: Record<string, string[]> = {};
    for (let layer = 0; layer < 12; layer++) {
      for (let i = 0; i < 10; i++) edges[`t${layer}_${i}`] = layer === 0 ? [] : [`t${layer - 1}_${i}`, `t${layer - 1}_${(i * 3 + 1) % 10}`];
    }
    const { structure, serialised } = parallelStructure(graph(edges));
    // THEN one stage per layer, and a bounded number of named waits
    expect(makespan(structure, () => 1)).toBe(12);
    expect(serialised.length).toBeGreaterThan(0);
  });

  it('reaches the critical path exactly for series-parallel graphs', () => {
    const durations: Record<string, number> = { a: 5, b: 1, c: 1, d: 7, e: 2 };
    const { structure } = parallelStructure(graph({ a: [], b: ['a'], c: [], d: ['c'], e: ['b', 'd'] }));
    // critical path: c(1) → d(7) → e(2) = 10
    expect(makespan(structure, (t) => durations[t])).toBe(10);
  });
});
