import type { BreakerRecord, HealthRecord, OrchestrationStore, ServiceState } from './records.ts';

/**
 * How long an invoker reuses a service's state read from the store while that state is clean (breaker
 * closed, no instance marked down). 1 s, well below discovery's refresh_interval (30 s by default) and
 * the registry's 90 s heartbeat: it only bounds how late this invoker sees what another invoker wrote
 * (a breaker opened, an instance marked down, a new registration), so a busy invoker reads the state
 * table about once a second instead of once per call.
 */
export const DEFAULT_STATE_TTL_MS = 1000;

interface Entry {
  state: ServiceState;
  readAt: number;
}

/**
 * Per-invoker cache of each service's state. A state that is not clean (breaker open or half-open, an
 * instance marked down) is read again on every call: that is when other invokers' writes decide what a
 * call may do, and those calls are off the hot path anyway. Writes this invoker makes are patched in.
 */
export class ServiceStateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly store: OrchestrationStore, private readonly now: () => number, private readonly ttlMs = DEFAULT_STATE_TTL_MS) {}

  async get(service: string): Promise<ServiceState> {
    const hit = this.entries.get(service);
    if (hit && isClean(hit.state) && this.now() - hit.readAt < this.ttlMs) return hit.state;
    return this.read(service);
  }

  /** Reads the store now, whatever is cached. */
  async read(service: string): Promise<ServiceState> {
    const state = await this.store.readService(service);
    this.entries.set(service, { state, readAt: this.now() });
    return state;
  }

  patchBreaker(service: string, breaker: BreakerRecord): void {
    const hit = this.entries.get(service);
    if (hit && breaker.version >= hit.state.breaker.version) hit.state = { ...hit.state, breaker };
  }

  patchHealth(service: string, id: string, health: HealthRecord): void {
    const hit = this.entries.get(service);
    if (hit && health.version >= (hit.state.health[id]?.version ?? 0)) hit.state = { ...hit.state, health: { ...hit.state.health, [id]: health } };
  }
}

function isClean(state: ServiceState): boolean {
  return state.breaker.state === 'closed' && Object.values(state.health).every((h) => h.healthy);
}
