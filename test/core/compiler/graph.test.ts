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

  it('serialises one edge of a graph that is not series-parallel, and names it', () => {
    // The "N" shape: c needs a and b, d needs only b.
    const { structure, serialised } = parallelStructure(graph({ a: [], b: [], c: ['a', 'b'], d: ['b'] }));
    // One wait is unavoidable; the first, smallest split adding one is b, then (a → c) beside d.
    expect(structure).toEqual(S(T('b'), P(S(T('a'), T('c')), T('d'))));
    expect(serialised).toEqual([{ task: 'a', waitsFor: 'b' }]);
  });

  it('reaches the critical path exactly for series-parallel graphs', () => {
    const durations: Record<string, number> = { a: 5, b: 1, c: 1, d: 7, e: 2 };
    const { structure } = parallelStructure(graph({ a: [], b: ['a'], c: [], d: ['c'], e: ['b', 'd'] }));
    // critical path: c(1) → d(7) → e(2) = 10
    expect(makespan(structure, (t) => durations[t])).toBe(10);
  });
});
