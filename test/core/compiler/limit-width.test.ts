import { describe, expect, it } from 'vitest';
import { limitWidth } from '../../../core/compiler/limit-width.ts';
import { makespan, tasksOf, width, type Structure } from '../../../core/compiler/structure.ts';

const T = (task: string): Structure => ({ kind: 'task', task });
const S = (...steps: Structure[]): Structure => ({ kind: 'series', steps });
const P = (...branches: Structure[]): Structure => ({ kind: 'parallel', branches });
const M = (maxConcurrency: number, ...tasks: string[]): Structure => ({ kind: 'map', tasks, maxConcurrency });

describe('limitWidth', () => {
  it('leaves a structure within the limit unchanged', () => {
    const s = P(T('a'), T('b'));
    expect(limitWidth(s, 2)).toEqual(s);
  });

  it('hands out independent tasks as slots free up, longest first', () => {
    // GIVEN four independent tasks of 900, 300, 300 and 300 ms and a cap of 2
    const ms: Record<string, number> = { a: 300, b: 900, c: 300, d: 300 };
    const limited = limitWidth(P(T('a'), T('b'), T('c'), T('d')), 2, (t) => ms[t]);
    // THEN one Map, b first: b on one slot while a, c and d follow each other on the other
    expect(limited).toEqual(M(2, 'b', 'a', 'c', 'd'));
    expect(makespan(limited, (t) => ms[t])).toBe(900);
  });

  it('runs a narrow branch in the spare capacity of another instead of after it', () => {
    // GIVEN a → {b, c} beside an independent d, at most 2 at once
    const limited = limitWidth(P(S(T('a'), P(T('b'), T('c'))), T('d')), 2);
    // THEN d runs beside a, and b beside c: two steps, not three
    expect(limited).toEqual(S(P(T('a'), T('d')), P(T('b'), T('c'))));
    expect(makespan(limited, () => 1)).toBe(2);
  });

  it('keeps tasks that may not be Map iterations out of the Map', () => {
    const limited = limitWidth(P(T('a'), T('b'), T('c')), 2, () => 1, (t) => t !== 'c');
    expect(width(limited)).toBe(2);
    expect(tasksOf(limited).sort()).toEqual(['a', 'b', 'c']);
    expect(JSON.stringify(limited)).not.toContain('"map"');
  });

  it('limits nested parallelism and keeps every task exactly once', () => {
    const wide = S(T('start'), P(S(T('a'), P(T('a1'), T('a2'), T('a3'))), P(T('b1'), T('b2')), T('c')), T('end'));
    for (const limit of [1, 2, 3, 4]) {
      const limited = limitWidth(wide, limit);
      expect(width(limited)).toBeLessThanOrEqual(limit);
      expect(tasksOf(limited).sort()).toEqual(tasksOf(wide).sort());
    }
  });

  it('balances by load when the durations differ', () => {
    const weights: Record<string, number> = { long: 10, m1: 5, m2: 5, s1: 1 };
    const limited = limitWidth(P(T('s1'), T('m1'), T('long'), T('m2')), 2, (t) => weights[t]);
    expect(makespan(limited, (t) => weights[t])).toBe(11);
  });
});
