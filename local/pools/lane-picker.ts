import type { PoolLane } from '../../core/definition/pool-model.ts';

/**
 * Which lane the next free worker serves, offline, where the lanes share the pool's workers: the first
 * (highest) lane with waiting work, except that a lower lane passed over `100 ÷ share` picks in a row
 * while it had work waiting is owed the next one. High-lane work goes first; no lane starves.
 */
export class LanePicker {
  private readonly skipped = new Map<string, number>();

  constructor(private readonly lanes: () => readonly PoolLane[]) {}

  /** The lane to take from, among `waiting` (lane names with work waiting); undefined when none waits. */
  pick(waiting: ReadonlySet<string>): string | undefined {
    const lanes = this.lanes();
    const candidates = lanes.filter((l) => waiting.has(l.name));
    if (!candidates.length) return undefined;
    const owed = candidates.slice(1).find((l) => (this.skipped.get(l.name) ?? 0) >= passesAllowed(l));
    const chosen = owed ?? candidates[0];
    for (const lane of lanes) {
      // Only a lane with work waiting builds up a debt.
      this.skipped.set(lane.name, lane === chosen || !waiting.has(lane.name) ? 0 : (this.skipped.get(lane.name) ?? 0) + 1);
    }
    return chosen.name;
  }
}

function passesAllowed(lane: PoolLane): number {
  return Math.max(1, Math.round(100 / Math.max(1, lane.share)));
}
