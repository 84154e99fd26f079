import { describe, expect, it } from 'vitest';
import { LanePicker } from '../../../local/pools/lane-picker.ts';

const lanes = [
  { name: 'high', share: 50, concurrency: 2 },
  { name: 'normal', share: 30, concurrency: 1 },
  { name: 'low', share: 20, concurrency: 1 },
];

function picks(picker: LanePicker, waiting: string[], n: number): string[] {
  return Array.from({ length: n }, () => picker.pick(new Set(waiting))!);
}

describe('LanePicker', () => {
  it('GIVEN every lane with work waiting THEN the first lane gets most picks and each lower lane its share, none starved', () => {
    const seen = picks(new LanePicker(() => lanes), ['high', 'normal', 'low'], 60);
    const count = (lane: string) => seen.filter((l) => l === lane).length;

    expect(count('high')).toBeGreaterThan(count('normal'));
    expect(count('normal')).toBeGreaterThan(count('low'));
    expect(count('low')).toBeGreaterThan(0);
    // A lane waits at most 100 ÷ share picks, and one more for each other lane owed at the same time.
    const longestGap = (lane: string) => Math.max(...seen.map((l, i) => (l === lane ? i : -1)).filter((i) => i >= 0).map((i, k, all) => (k ? i - all[k - 1] : i + 1)));
    expect(longestGap('normal')).toBeLessThanOrEqual(Math.round(100 / 30) + 2);
    expect(longestGap('low')).toBeLessThanOrEqual(100 / 20 + 2);
  });

  it('GIVEN only lower lanes with work THEN they are picked, and no debt builds up for a lane with nothing waiting', () => {
    const picker = new LanePicker(() => lanes);

    expect(picks(picker, ['low'], 3)).toEqual(['low', 'low', 'low']);
    expect(picks(picker, ['high'], 10)).toEqual(Array(10).fill('high'));
    // normal waited for none of those picks: the high lane goes first again.
    expect(picker.pick(new Set(['high', 'normal']))).toBe('high');
    expect(picker.pick(new Set())).toBeUndefined();
  });
});
