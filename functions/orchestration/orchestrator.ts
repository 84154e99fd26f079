import type { ServiceDefinition } from '../../core/definition/model.ts';
import type { ServiceOrchestration } from '../../core/definition/orchestration-model.ts';
import { CircuitOpen, ServiceRejected, ServiceUnavailable } from '../../core/errors.ts';
import { expandEnv } from '../service-invoker/env-expansion.ts';
import { callHttp } from '../service-invoker/http-call.ts';
import { resolveService, type Env } from '../service-invoker/resolve-service.ts';
import { Balancer } from './balancer.ts';
import { SharedCircuitBreaker } from './circuit-breaker.ts';
import { Discovery, type DiscoveredInstance, type DiscoveryDeps } from './discovery.ts';
import { recordHealth } from './instance-health.ts';
import { latencyBucket, type OrchestrationStore, type ServiceState } from './records.ts';

export interface OrchestratorDeps {
  readonly store: OrchestrationStore;
  /** @default process.env */
  readonly env?: Env;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Epoch ms; breaker windows, open periods and heartbeats are measured with it. @default Date.now */
  readonly now?: () => number;
  /** @default Math.random */
  readonly random?: () => number;
  readonly cloudMap?: DiscoveryDeps['cloudMap'];
  /** @default 90 */
  readonly registryTtlSeconds?: number;
  /** First wait before trying the same instance again when no other is left (failover backoff). @default 100 */
  readonly failoverDelayMs?: number;
}

/** A service as a task names it: its settings when declared, else resolved at run time. */
export interface ServiceRef {
  readonly name: string;
  readonly definition?: ServiceDefinition;
}

/**
 * Calls services through discovery, load balancing, health and a shared circuit breaker. A call picks a
 * healthy instance; on a retriable failure (5xx, 408, 429, network, timeout) it fails over to another
 * instance, up to retry.max_attempts instances within the timeout.max budget; when they all fail, the
 * error (ServiceUnavailable) goes to the Task state, whose Retry backs off and repeats the whole call.
 * A 4xx answer is the service's verdict: not failed over, not counted against the instance or breaker.
 * While the breaker is open the call fails fast (CircuitOpen), or goes to the `fallback` service.
 */
export class ServiceOrchestrationRuntime {
  readonly store: OrchestrationStore;
  readonly balancer: Balancer;
  private readonly discovery: Discovery;
  private readonly breaker: SharedCircuitBreaker;
  private readonly now: () => number;
  private readonly doFetch: typeof fetch;

  constructor(private readonly deps: OrchestratorDeps) {
    this.store = deps.store;
    this.now = deps.now ?? Date.now;
    this.doFetch = deps.fetch ?? ((...args) => globalThis.fetch(...args));
    this.balancer = new Balancer(deps.random);
    this.discovery = new Discovery({ now: this.now, fetch: this.doFetch, cloudMap: deps.cloudMap, registryTtlSeconds: deps.registryTtlSeconds });
    this.breaker = new SharedCircuitBreaker(this.store, this.now);
  }

  private get env(): Env {
    return this.deps.env ?? process.env;
  }

  /**
   * Calls one service with `body`; `related` holds the settings of other services it may fall back to.
   * `signal` cancels it (a scatter-gather that no longer needs the answer).
   */
  async call(service: ServiceRef, body: unknown, related: Readonly<Record<string, ServiceDefinition>> = {}, signal?: AbortSignal, seen: ReadonlySet<string> = new Set()): Promise<unknown> {
    const definition = service.definition;
    if (!definition?.orchestration) return this.plainCall(service, body, signal);
    const settings = definition.orchestration;
    const started = this.now();
    const state = await this.store.readService(service.name);
    const permit = settings.circuitBreaker ? await this.breaker.acquire(service.name, settings.circuitBreaker, state.breaker) : { allowed: true as const, trial: false, record: state.breaker };
    if (!permit.allowed) {
      const open = new CircuitOpen(`service "${service.name}": circuit breaker is open until ${new Date(permit.retryAt).toISOString()}`);
      await this.store.addMetrics(service.name, { calls: 1, errors: 1, transitions: 0 });
      return this.fallbackOr(service.name, settings, open, body, related, signal, seen);
    }
    let failure: unknown;
    let result: unknown;
    try {
      result = await this.callInstances(service.name, definition, settings, state, body, signal);
    } catch (error) {
      failure = error;
    }
    // A rejection (4xx) is an answer: the service is up.
    const failed = failure !== undefined && !(failure instanceof ServiceRejected);
    const transitions = (permit.transitions ?? 0) + (settings.circuitBreaker ? await this.breaker.record(service.name, settings.circuitBreaker, permit, failed) : 0);
    await this.store.addMetrics(service.name, { calls: 1, errors: failed ? 1 : 0, transitions, bucket: latencyBucket(this.now() - started) });
    if (failure === undefined) return result;
    if (!failed) throw failure;
    return this.fallbackOr(service.name, settings, failure, body, related, signal, seen);
  }

  /** The instances a call to this service would choose from, with their health. */
  async instancesOf(name: string, definition: ServiceDefinition, state?: ServiceState): Promise<{ instance: DiscoveredInstance; healthy: boolean }[]> {
    const settings = definition.orchestration!;
    const current = state ?? (await this.store.readService(name));
    const found = await this.discovery.instances(name, settings, this.staticUrls(name, definition), current.instances);
    return found.map((instance) => ({ instance, healthy: current.health[instance.id]?.healthy ?? true }));
  }

  /** One active health probe of every instance: GET <origin><health_check.path>, any 2xx is healthy. */
  async probe(name: string, definition: ServiceDefinition): Promise<{ id: string; url: string; ok: boolean; healthy: boolean }[]> {
    const settings = definition.orchestration!;
    const state = await this.store.readService(name);
    const instances = await this.instancesOf(name, definition, state);
    return Promise.all(instances.map(async ({ instance }) => {
      const target = new URL(settings.healthCheck.path, instance.url).toString();
      let ok = false;
      try {
        const response = await this.doFetch(target, { signal: AbortSignal.timeout(settings.healthCheck.timeoutSeconds * 1000) });
        await response.arrayBuffer();
        ok = response.ok;
      } catch {
        ok = false;
      }
      const health = await recordHealth(this.store, name, instance.id, settings.healthCheck, ok, state.health[instance.id], this.now());
      return { id: instance.id, url: instance.url, ok, healthy: health.healthy };
    }));
  }

  private async callInstances(name: string, definition: ServiceDefinition, settings: ServiceOrchestration, state: ServiceState, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const found = await this.discovery.instances(name, settings, this.staticUrls(name, definition), state.instances);
    if (found.length === 0) throw new ServiceUnavailable(`service "${name}" has no instances (${settings.discovery} discovery)`);
    const healthy = settings.skipUnhealthy ? found.filter((i) => state.health[i.id]?.healthy ?? true) : found;
    // Every instance marked down: try them all rather than none (a probe may simply not have run yet).
    const candidates = healthy.length ? healthy : found;
    const attempts = settings.failover ? settings.maxAttempts : 1;
    const deadline = this.now() + settings.callBudgetSeconds * 1000;
    const tried = new Set<string>();
    const headers = Object.fromEntries(Object.entries(definition.headers).map(([h, v]) => [h, expandEnv(v, this.env, `service "${name}" header ${h}`)]));
    let last: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const instance = this.balancer.pick(name, settings.algorithm, candidates, tried);
      if (tried.has(instance.id)) await this.backoff(settings.backoff, attempt, signal);
      tried.add(instance.id);
      const left = deadline - this.now();
      if (left <= 0) break;
      const end = this.balancer.begin(name, instance.id);
      try {
        const answer = await callHttp({
          url: expandEnv(instance.url, this.env, `service "${name}" instance`),
          method: definition.method,
          headers,
          body,
          timeoutMs: Math.min(definition.timeoutSeconds * 1000, left),
          label: `service "${name}" instance ${instance.id === instance.url ? instance.url : `${instance.id} (${instance.url})`}`,
          signal,
        }, this.doFetch);
        end();
        await recordHealth(this.store, name, instance.id, settings.healthCheck, true, state.health[instance.id], this.now());
        return answer;
      } catch (error) {
        end();
        if (error instanceof ServiceRejected || signal?.aborted) throw error;
        await recordHealth(this.store, name, instance.id, settings.healthCheck, false, state.health[instance.id], this.now());
        last = error;
      }
    }
    throw new ServiceUnavailable(`service "${name}": ${tried.size} instance(s) tried, all failed; last: ${(last as Error)?.message ?? 'call budget spent'}`, { cause: last });
  }

  private async fallbackOr(name: string, settings: ServiceOrchestration, error: unknown, body: unknown, related: Readonly<Record<string, ServiceDefinition>>, signal: AbortSignal | undefined, seen: ReadonlySet<string>): Promise<unknown> {
    const fallback = settings.fallback;
    if (!fallback || seen.has(fallback)) throw error;
    return this.call({ name: fallback, definition: related[fallback] }, body, related, signal, new Set([...seen, name]));
  }

  /** A service without orchestration: its one URL, as before. */
  private plainCall(service: ServiceRef, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const resolved = resolveService(service, this.env);
    return callHttp({
      url: resolved.url!,
      method: resolved.method,
      headers: resolved.headers,
      body,
      timeoutMs: resolved.timeoutSeconds * 1000,
      label: `service "${service.name}" (${resolved.method} ${resolved.url})`,
      signal,
    }, this.doFetch);
  }

  private staticUrls(name: string, definition: ServiceDefinition): string[] {
    return definition.orchestration!.instances.map((url) => expandEnv(url, this.env, `service "${name}" instance`));
  }

  private async backoff(kind: ServiceOrchestration['backoff'], attempt: number, signal?: AbortSignal): Promise<void> {
    const base = this.deps.failoverDelayMs ?? 100;
    const ms = kind === 'fixed' ? base : kind === 'linear' ? base * attempt : base * 2 ** (attempt - 1);
    if (ms > 0) await new Promise<void>((resolve) => { const t = setTimeout(resolve, ms); signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true }); });
  }
}
