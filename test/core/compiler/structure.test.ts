import { describe, expect, it } from 'vitest';
import { limitWidth, makespan, tasksOf, width, type Structure } from '../../../core/compiler/structure.ts';

const T = (task: string): Structure => ({ kind: 'task', task });
const S = (...steps: Structure[]): Structure => ({ kind: 'series', steps });
const P = (...branches: Structure[]): Structure => ({ kind: 'parallel', branches });

describe('limitWidth', () => {
  it('leaves a structure within the limit unchanged', () => {
    const s = P(T('a'), T('b'));
    expect(limitWidth(s, 2)).toEqual(s);
  });

  it('packs independent tasks into as many lanes as the limit allows', () => {
    const limited = limitWidth(P(T('a'), T('b'), T('c'), T('d'), T('e')), 2);
    expect(width(limited)).toBe(2);
    expect(limited).toEqual(P(S(T('a'), T('c'), T('e')), S(T('b'), T('d'))));
  });

  it('limits nested parallelism and keeps every task exactly once', () => {
    const wide = S(T('start'), P(S(T('a'), P(T('a1'), T('a2'), T('a3'))), P(T('b1'), T('b2')), T('c')), T('end'));
    for (const limit of [1, 2, 3, 4]) {
      const limited = limitWidth(wide, limit);
      expect(width(limited)).toBeLessThanOrEqual(limit);
      expect(tasksOf(limited).sort()).toEqual(tasksOf(wide).sort());
    }
  });

  it('balances lanes by load (longest first)', () => {
    const weights: Record<string, number> = { long: 10, m1: 5, m2: 5, s1: 1 };
    const limited = limitWidth(P(T('s1'), T('m1'), T('long'), T('m2')), 2, (t) => weights[t]);
    expect(makespan(limited, (t) => weights[t])).toBe(11);
  });
});
