import { CLOSED_BREAKER, type BreakerRecord, type HealthRecord, type MetricsDelta, type MetricsRecord, type OrchestrationStore, type RegisteredInstance, type ServiceState } from './records.ts';

interface Entry {
  instances: Map<string, RegisteredInstance>;
  health: Map<string, HealthRecord>;
  breaker: BreakerRecord;
  metrics: { calls: number; errors: number; transitions: number; buckets: Record<number, number> };
}

/** OrchestrationStore in this process: for `stepflow run` without a table, and one invoker alone. */
export class MemoryOrchestrationStore implements OrchestrationStore {
  private readonly services = new Map<string, Entry>();

  private entry(service: string): Entry {
    let entry = this.services.get(service);
    if (!entry) {
      entry = { instances: new Map(), health: new Map(), breaker: CLOSED_BREAKER, metrics: { calls: 0, errors: 0, transitions: 0, buckets: {} } };
      this.services.set(service, entry);
    }
    return entry;
  }

  async readService(service: string): Promise<ServiceState> {
    const entry = this.entry(service);
    const metrics: MetricsRecord = { ...entry.metrics, buckets: { ...entry.metrics.buckets } };
    return { instances: [...entry.instances.values()], health: Object.fromEntries(entry.health), breaker: entry.breaker, metrics };
  }

  async listServices(): Promise<string[]> {
    return [...this.services.keys()].sort();
  }

  async putInstance(service: string, instance: RegisteredInstance): Promise<void> {
    this.entry(service).instances.set(instance.id, instance);
  }

  async deleteInstance(service: string, id: string): Promise<boolean> {
    const entry = this.entry(service);
    entry.health.delete(id);
    return entry.instances.delete(id);
  }

  async writeHealth(service: string, id: string, next: HealthRecord): Promise<boolean> {
    const entry = this.entry(service);
    if ((entry.health.get(id)?.version ?? 0) !== next.version - 1) return false;
    entry.health.set(id, next);
    return true;
  }

  async writeBreaker(service: string, next: BreakerRecord): Promise<boolean> {
    const entry = this.entry(service);
    if (entry.breaker.version !== next.version - 1) return false;
    entry.breaker = next;
    return true;
  }

  async addMetrics(service: string, delta: MetricsDelta): Promise<void> {
    const metrics = this.entry(service).metrics;
    metrics.calls += delta.calls;
    metrics.errors += delta.errors;
    metrics.transitions += delta.transitions;
    for (const [bucket, n] of Object.entries(delta.buckets ?? {})) metrics.buckets[Number(bucket)] = (metrics.buckets[Number(bucket)] ?? 0) + n;
  }
}
