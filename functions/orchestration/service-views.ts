import type { ServiceInstanceView, ServiceMetricsView, ServiceSummary, ServiceView } from '../../core/contracts/service-view.ts';
import { quantileMs, type OrchestrationStore, type ServiceState } from './records.ts';

/** What the services API reads: the store, and (offline, in the engine's process) the invoker's calls in flight. */
export interface ServicesDeps {
  readonly store: OrchestrationStore;
  /** Calls in flight by instance id, from the invoker sharing this process. */
  readonly outstanding?: (service: string) => Readonly<Record<string, number>>;
  /** Registry instances not heard from for longer than this are shown expired. @default 90 */
  readonly registryTtlSeconds?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

export function metricsView(state: ServiceState): ServiceMetricsView {
  const { metrics } = state;
  const p50 = quantileMs(metrics.buckets, 0.5);
  const p99 = quantileMs(metrics.buckets, 0.99);
  return { calls: metrics.calls, errors: metrics.errors, ...(p50 !== undefined ? { p50Ms: p50 } : {}), ...(p99 !== undefined ? { p99Ms: p99 } : {}), breakerTransitions: metrics.transitions };
}

/** One service: registry instances and those known from calls and probes, with health, weight, calls in flight, breaker and metrics. */
export async function serviceView(deps: ServicesDeps, name: string): Promise<ServiceView> {
  const state = await deps.store.readService(name);
  const now = (deps.now ?? Date.now)();
  const ttlMs = (deps.registryTtlSeconds ?? 90) * 1000;
  const outstanding = deps.outstanding?.(name) ?? {};
  const instances: ServiceInstanceView[] = state.instances.map((i) => ({
    id: i.id, url: i.url, weight: i.weight, ...(i.metadata ? { metadata: i.metadata } : {}), source: 'registry',
    healthy: state.health[i.id]?.healthy ?? true,
    consecutiveFailures: state.health[i.id]?.consecutiveFailures ?? 0,
    lastHeartbeat: new Date(i.heartbeatAt).toISOString(),
    expired: now - i.heartbeatAt > ttlMs,
    outstanding: outstanding[i.id] ?? 0,
  }));
  for (const [id, health] of Object.entries(state.health)) {
    if (state.instances.some((i) => i.id === id)) continue;
    // Static and discovered instances are identified by their URL (Cloud Map and Consul by their own id).
    instances.push({ id, url: /^https?:\/\//.test(id) ? id : '', weight: 1, source: 'observed', healthy: health.healthy, consecutiveFailures: health.consecutiveFailures, outstanding: outstanding[id] ?? 0 });
  }
  const { breaker } = state;
  return {
    name,
    breaker: { state: breaker.state, ...(breaker.state !== 'closed' ? { openedAt: new Date(breaker.openedAt).toISOString() } : {}), calls: breaker.calls, failures: breaker.failures },
    metrics: metricsView(state),
    instances,
  };
}

export async function serviceSummaries(deps: ServicesDeps): Promise<ServiceSummary[]> {
  const names = await deps.store.listServices();
  return Promise.all(names.map(async (name) => {
    const view = await serviceView(deps, name);
    const live = view.instances.filter((i) => !i.expired);
    return { name, instances: live.length, healthy: live.filter((i) => i.healthy).length, breaker: view.breaker.state, metrics: view.metrics };
  }));
}
