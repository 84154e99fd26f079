import { describe, expect, it } from 'vitest';
import { listScheduleMakespan, ranksByRemainingPath } from '../../../core/compiler/list-schedule.ts';

const tasks = [
  { task: 'a', needs: [], duration: 4 },
  { task: 'b', needs: [], duration: 1 },
  { task: 'c', needs: ['a', 'b'], duration: 1 },
  { task: 'd', needs: ['b'], duration: 6 },
];

describe('list scheduling', () => {
  it('ranks tasks by the longest path still ahead of them', () => {
    // b → d is 7 long, a → c 5, d 6, c 1
    expect([...ranksByRemainingPath(tasks)]).toEqual([['b', 0], ['d', 1], ['a', 2], ['c', 3]]);
  });

  it('is the critical path without a limit, and starts the lowest rank first under one', () => {
    const ranks = ranksByRemainingPath(tasks);
    const ranked = tasks.map((t) => ({ ...t, rank: ranks.get(t.task)! }));
    expect(listScheduleMakespan(ranked)).toBe(7);
    // One slot: b, d, a, c back to back.
    expect(listScheduleMakespan(ranked, 1)).toBe(12);
    // Two: b then d on one slot, a then c on the other.
    expect(listScheduleMakespan(ranked, 2)).toBe(7);
  });
});
