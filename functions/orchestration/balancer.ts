import type { BalancingAlgorithm } from '../../core/definition/orchestration-model.ts';

export interface Candidate {
  readonly id: string;
  readonly url: string;
  readonly weight: number;
}

/**
 * Picks an instance among the healthy ones, per service: round robin (exact order by instance id),
 * weighted (smooth weighted round robin, as nginx: each instance gets its share of every `total weight`
 * picks, spread out), least outstanding (fewest calls in flight from this invoker, ties in round-robin
 * order) or random. `exclude` holds instances this call already tried (failover), skipped while others remain.
 * Calls in flight are this process's: on AWS each Lambda instance runs one invocation at a time, so a
 * count shared through the batched state would always be 0 when flushed, and an exact shared count
 * would put two writes on every call's hot path.
 */
export class Balancer {
  private readonly counters = new Map<string, number>();
  private readonly currentWeights = new Map<string, Map<string, number>>();
  private readonly inFlight = new Map<string, Map<string, number>>();

  constructor(private readonly random: () => number = Math.random) {}

  pick(service: string, algorithm: BalancingAlgorithm, candidates: readonly Candidate[], exclude: ReadonlySet<string> = new Set()): Candidate {
    if (candidates.length === 0) throw new Error('no instance to pick from');
    const fresh = candidates.filter((c) => !exclude.has(c.id));
    const pool = [...(fresh.length ? fresh : candidates)].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    switch (algorithm) {
      case 'random':
        return pool[Math.floor(this.random() * pool.length) % pool.length];
      case 'weighted':
        return this.smoothWeighted(service, pool);
      case 'least_outstanding': {
        const counts = this.inFlight.get(service);
        const fewest = Math.min(...pool.map((c) => counts?.get(c.id) ?? 0));
        return this.roundRobin(service, pool.filter((c) => (counts?.get(c.id) ?? 0) === fewest));
      }
      default:
        return this.roundRobin(service, pool);
    }
  }

  /** Marks a call in flight; the returned function ends it. */
  begin(service: string, id: string): () => void {
    let counts = this.inFlight.get(service);
    if (!counts) this.inFlight.set(service, (counts = new Map()));
    counts.set(id, (counts.get(id) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (counts.get(id) ?? 1) - 1;
      if (left > 0) counts.set(id, left);
      else counts.delete(id);
    };
  }

  outstanding(service: string): Readonly<Record<string, number>> {
    return Object.fromEntries(this.inFlight.get(service) ?? []);
  }

  private roundRobin(service: string, pool: readonly Candidate[]): Candidate {
    const n = this.counters.get(service) ?? 0;
    this.counters.set(service, n + 1);
    return pool[n % pool.length];
  }

  private smoothWeighted(service: string, pool: readonly Candidate[]): Candidate {
    let current = this.currentWeights.get(service);
    if (!current) this.currentWeights.set(service, (current = new Map()));
    let total = 0;
    let best: Candidate | undefined;
    for (const candidate of pool) {
      const weight = Math.max(0, candidate.weight);
      total += weight;
      const value = (current.get(candidate.id) ?? 0) + weight;
      current.set(candidate.id, value);
      if (!best || value > current.get(best.id)!) best = candidate;
    }
    current.set(best!.id, current.get(best!.id)! - total);
    return best!;
  }
}
