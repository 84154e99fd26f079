import { describe, expect, it } from 'vitest';
import { handOut, listSchedule, makespan, tasksOf, width, type Structure } from '../../../core/compiler/structure.ts';

const T = (task: string): Structure => ({ kind: 'task', task });
const S = (...steps: Structure[]): Structure => ({ kind: 'series', steps });
const P = (...branches: Structure[]): Structure => ({ kind: 'parallel', branches });

describe('handOut', () => {
  it('is a Map of the tasks when the slots are fewer than the tasks', () => {
    expect(handOut(['a', 'b', 'c'], 2)).toEqual({ kind: 'map', tasks: ['a', 'b', 'c'], maxConcurrency: 2 });
  });

  it('is a series with one slot and a Parallel with enough', () => {
    expect(handOut(['a', 'b'], 1)).toEqual(S(T('a'), T('b')));
    expect(handOut(['a', 'b'], 2)).toEqual(P(T('a'), T('b')));
  });
});

describe('makespan, width and tasksOf', () => {
  const durations: Record<string, number> = { a: 9, b: 3, c: 3, d: 3, e: 1 };
  const d = (t: string) => durations[t];

  it('adds series, takes the slowest branch, and hands Map items to the first free slot', () => {
    // GIVEN e, then a Map of a, b, c, d on two slots: a on one, b, c, d on the other
    const s = S(T('e'), { kind: 'map', tasks: ['a', 'b', 'c', 'd'], maxConcurrency: 2 });
    expect(makespan(s, d)).toBe(10);
    expect(width(s)).toBe(2);
    expect(tasksOf(s)).toEqual(['e', 'a', 'b', 'c', 'd']);
  });

  it('counts every branch of a Parallel in its width', () => {
    expect(width(P(S(T('a'), P(T('b'), T('c'))), T('d')))).toBe(3);
  });
});

describe('listSchedule', () => {
  it('starts each job on the first slot to free up, in order', () => {
    expect(listSchedule([900, 300, 300, 300], 2)).toBe(900);
    expect(listSchedule([300, 300, 300, 900], 2)).toBe(1200);
  });
});
