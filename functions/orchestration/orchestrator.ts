import type { ServiceDefinition } from '../../core/definition/model.ts';
import type { ServiceOrchestration } from '../../core/definition/orchestration-model.ts';
import { CircuitOpen, ServiceRejected, ServiceUnavailable } from '../../core/errors.ts';
import { expandEnv } from '../service-invoker/env-expansion.ts';
import { callHttp } from '../service-invoker/http-call.ts';
import { resolveService, type Env } from '../service-invoker/resolve-service.ts';
import { circuitBreaker, BrokenCircuitError, DelegateBackoff, handleWhen, retry, TaskCancelledError, timeout, TimeoutStrategy, type CircuitBreakerPolicy, type IRetryBackoffContext } from 'cockatiel';
import type { CircuitBreakerSettings } from '../../core/definition/orchestration-model.ts';
import { Balancer } from './balancer.ts';
import { cockatielInitialState, SharedCircuitBreaker } from './circuit-breaker.ts';
import { Discovery, type DiscoveredInstance, type DiscoveryDeps } from './discovery.ts';
import { recordHealth } from './instance-health.ts';
import { metricsDelta, OutcomeBatch } from './outcome-batch.ts';
import { latencyBucket, type BreakerRecord, type OrchestrationStore, type ServiceState } from './records.ts';
import { ServiceStateCache } from './service-state-cache.ts';
import { WindowBreaker } from './window-breaker.ts';

export interface OrchestratorDeps {
  readonly store: OrchestrationStore;
  /** @default process.env */
  readonly env?: Env;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Epoch ms; breaker windows, open periods, heartbeats and the state cache are measured with it. @default Date.now */
  readonly now?: () => number;
  /** @default Math.random */
  readonly random?: () => number;
  readonly cloudMap?: DiscoveryDeps['cloudMap'];
  /** @default 90 */
  readonly registryTtlSeconds?: number;
  /** First wait before trying the same instance again when no other is left (failover backoff). @default 100 */
  readonly failoverDelayMs?: number;
  /** How long a clean service state is reused without reading the store (see DEFAULT_STATE_TTL_MS). @default 1000 */
  readonly stateTtlMs?: number;
  /** How often outcomes recorded in memory are flushed to the store, besides `flush()`. @default 1000 */
  readonly flushIntervalMs?: number;
}

/** A service as a task names it: its settings when declared, else resolved at run time. */
export interface ServiceRef {
  readonly name: string;
  readonly definition?: ServiceDefinition;
}

/** Marks the error a spent call budget ends failover with: not worth another instance. */
const BUDGET_SPENT = Symbol('budget spent');

/**
 * Calls services through discovery, load balancing, health and a shared circuit breaker. A call picks a
 * healthy instance; on a retriable failure (5xx, 408, 429, network, timeout) it fails over to another
 * instance, up to retry.max_attempts instances within the timeout.max budget; when they all fail, the
 * error (ServiceUnavailable) goes to the Task state, whose Retry backs off and repeats the whole call.
 * A 4xx answer is the service's verdict: not failed over, not counted against the instance or breaker.
 * While the breaker is open the call fails fast (CircuitOpen), or goes to the `fallback` service.
 *
 * The hot path makes no round trip to the store while the breaker is closed and instances are healthy:
 * the service's state is cached (ServiceStateCache), outcomes are recorded in memory (OutcomeBatch) and
 * flushed every `flushIntervalMs` and by `flush()` (the invoker awaits it before its Lambda invocation
 * returns). A failure that makes the window cross the threshold flushes at once, opening the shared
 * breaker. Failover retries and per-attempt timeouts are cockatiel policies; the closed → open decision
 * is cockatiel's circuit breaker with a WindowBreaker, and an open breaker is a cockatiel policy
 * hydrated from the shared record.
 */
export class ServiceOrchestrationRuntime {
  readonly store: OrchestrationStore;
  readonly balancer: Balancer;
  private readonly discovery: Discovery;
  private readonly breaker: SharedCircuitBreaker;
  private readonly states: ServiceStateCache;
  private readonly batch = new OutcomeBatch();
  private readonly now: () => number;
  private readonly doFetch: typeof fetch;
  /** cockatiel policies of closed breakers, per service, rebuilt when the shared record changes. */
  private readonly closedPolicies = new Map<string, { readonly version: number; readonly policy: CircuitBreakerPolicy; tripped: boolean }>();
  private flushTimer?: ReturnType<typeof setTimeout>;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: OrchestratorDeps) {
    this.store = deps.store;
    this.now = deps.now ?? Date.now;
    this.doFetch = deps.fetch ?? ((...args) => globalThis.fetch(...args));
    this.balancer = new Balancer(deps.random);
    this.discovery = new Discovery({ now: this.now, fetch: this.doFetch, cloudMap: deps.cloudMap, registryTtlSeconds: deps.registryTtlSeconds });
    this.breaker = new SharedCircuitBreaker(this.store, this.now);
    this.states = new ServiceStateCache(this.store, this.now, deps.stateTtlMs);
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
    const name = service.name;
    const started = this.now();
    const state = await this.states.get(name);
    const callInstances = () => this.callInstances(name, definition, settings, state, body, signal);
    let failure: unknown;
    let result: unknown;
    let transitions = 0;
    const breakerSettings = settings.circuitBreaker;
    try {
      if (!breakerSettings) result = await callInstances();
      else if (state.breaker.state === 'closed') result = await this.closedPolicy(name, breakerSettings, state.breaker).execute(callInstances, signal);
      else {
        const outcome = await this.throughOpenBreaker(name, breakerSettings, state.breaker, callInstances, signal);
        transitions = outcome.transitions;
        result = outcome.result;
      }
    } catch (error) {
      failure = error instanceof BrokenCircuitError ? this.circuitOpen(name, breakerSettings!, state.breaker) : error;
      if (failure instanceof TrialOutcome) {
        transitions = failure.transitions;
        failure = failure.error;
      }
    }
    const failFast = failure instanceof CircuitOpen;
    // A rejection (4xx) is an answer: the service is up.
    const failed = failure !== undefined && !(failure instanceof ServiceRejected);
    this.batch.of(name).breaker ??= breakerSettings;
    // A 4xx is an answer, so it counts as a call in the window (cockatiel hands the breaker only handled errors).
    if (breakerSettings && failure instanceof ServiceRejected && state.breaker.state === 'closed') this.batch.windowOf(name).calls++;
    this.batch.recordCall(name, { failed, transitions, ...(failFast ? {} : { bucket: latencyBucket(this.now() - started) }) });
    const policy = this.closedPolicies.get(name);
    if (transitions > 0 || policy?.tripped) {
      if (policy) policy.tripped = false;
      // A transition is for every invoker to see now; if the store cannot take it, the batch keeps it.
      await this.flush().catch(() => undefined);
    } else this.scheduleFlush();
    if (failure === undefined) return result;
    if (!failed) throw failure;
    return this.fallbackOr(name, settings, failure, body, related, signal, seen);
  }

  /**
   * Writes the outcomes recorded in memory: each service's window counts merged into the shared breaker
   * (conditional writes; crossing the threshold opens it) and its metrics added. Awaited by the invoker
   * before its Lambda invocation returns, so no outcome is lost when the environment is frozen.
   */
  flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const run = this.flushing.then(() => this.flushNow());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async flushNow(): Promise<void> {
    if (this.batch.empty) return;
    const failures: unknown[] = [];
    await Promise.all([...this.batch.take()].map(async ([name, outcomes]) => {
      try {
        let transitions = 0;
        if (outcomes.breaker && outcomes.window.calls > 0) {
          const current = (await this.states.get(name)).breaker;
          const merge = await this.breaker.merge(name, outcomes.breaker, outcomes.window, current);
          if (!merge.merged) throw new Error(`service "${name}": the breaker record kept changing; outcomes kept for the next flush`);
          transitions = merge.transitions;
          this.states.patchBreaker(name, merge.record);
          outcomes.window.calls = 0;
          outcomes.window.failures = 0;
        }
        outcomes.transitions += transitions;
        await this.store.addMetrics(name, metricsDelta(outcomes));
        outcomes.calls = outcomes.errors = outcomes.transitions = 0;
        for (const bucket of Object.keys(outcomes.buckets)) delete outcomes.buckets[Number(bucket)];
      } catch (error) {
        // Whatever was not written goes back into the batch.
        this.batch.restore(name, outcomes);
        failures.push(error);
      }
    }));
    if (failures.length) throw new AggregateError(failures, `flushing service outcomes failed: ${(failures[0] as Error).message}`);
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.batch.empty) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush().catch(() => undefined); // kept in the batch; the next flush tries again
    }, this.deps.flushIntervalMs ?? 1000);
    this.flushTimer.unref?.();
  }

  /** The cockatiel policy of a closed breaker: its WindowBreaker decides on each outcome whether to open. */
  private closedPolicy(name: string, settings: CircuitBreakerSettings, shared: BreakerRecord): CircuitBreakerPolicy {
    const current = this.closedPolicies.get(name);
    if (current && current.version === shared.version) return current.policy;
    const policy = circuitBreaker(handleWhen(countsAgainstBreaker), {
      halfOpenAfter: settings.openForSeconds * 1000,
      breaker: new WindowBreaker(settings, shared, () => this.batch.windowOf(name), this.now),
    });
    const entry = { version: shared.version, policy, tripped: false };
    policy.onBreak(() => { entry.tripped = true; });
    this.closedPolicies.set(name, entry);
    return policy;
  }

  /**
   * A call while the shared breaker is open or half-open: a cockatiel policy hydrated from the record
   * fails fast during the open period; after it, the call asks the shared record for a trial
   * (half_open_calls among every invoker) and reports the trial's outcome back to it.
   */
  private async throughOpenBreaker(name: string, settings: CircuitBreakerSettings, record: BreakerRecord, callInstances: () => Promise<unknown>, signal?: AbortSignal): Promise<{ result: unknown; transitions: number }> {
    const policy = circuitBreaker(handleWhen(countsAgainstBreaker), {
      halfOpenAfter: settings.openForSeconds * 1000,
      breaker: new WindowBreaker(settings, record, () => ({ calls: 0, failures: 0 }), this.now),
      initialState: cockatielInitialState(record, settings, this.now()),
    });
    let transitions = 0;
    const result = await policy.execute(async () => {
      const permit = await this.breaker.acquire(name, settings, record);
      if (!permit.allowed) throw this.circuitOpen(name, settings, record, permit.retryAt);
      transitions += permit.transitions ?? 0;
      this.states.patchBreaker(name, permit.record);
      try {
        const answer = await callInstances();
        transitions += await this.breaker.record(name, settings, permit, false);
        return answer;
      } catch (error) {
        if (!countsAgainstBreaker(error as Error)) throw new TrialOutcome(error, transitions);
        transitions += await this.breaker.record(name, settings, permit, true);
        throw new TrialOutcome(error, transitions);
      }
    }, signal);
    return { result, transitions };
  }

  private circuitOpen(name: string, settings: CircuitBreakerSettings, record: BreakerRecord, retryAt = record.openedAt + settings.openForSeconds * 1000): CircuitOpen {
    return new CircuitOpen(`service "${name}": circuit breaker is open until ${new Date(retryAt).toISOString()}`);
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
      this.states.patchHealth(name, instance.id, health);
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
    // Failover is a cockatiel retry: another instance at once while one is left untried, else the
    // definition's backoff before trying one again.
    const failover = retry(handleWhen((error) => !(error instanceof ServiceRejected) && !(BUDGET_SPENT in error) && !signal?.aborted), {
      maxAttempts: attempts - 1,
      backoff: new DelegateBackoff<IRetryBackoffContext<unknown>>((context) => (candidates.some((c) => !tried.has(c.id)) ? 0 : this.backoffMs(settings.backoff, context.attempt))),
    });
    try {
      return await failover.execute(async ({ signal: attemptSignal }) => {
        const instance = this.balancer.pick(name, settings.algorithm, candidates, tried);
        tried.add(instance.id);
        const left = deadline - this.now();
        if (left <= 0) throw Object.assign(new ServiceUnavailable('call budget spent'), { [BUDGET_SPENT]: true });
        const timeoutMs = Math.min(definition.timeoutSeconds * 1000, left);
        const label = `service "${name}" instance ${instance.id === instance.url ? instance.url : `${instance.id} (${instance.url})`}`;
        const end = this.balancer.begin(name, instance.id);
        try {
          // cockatiel's aggressive timeout ends the attempt when it fires, whatever the fetch is doing. Its
          // signal is the call's only timer; it is not aborted on return, since the answer has been read in
          // full by then (aborting costs a DOMException with a stack per call).
          const answer = await timeout(timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }).execute(({ signal: timeoutSignal }) => callHttp({
            url: expandEnv(instance.url, this.env, `service "${name}" instance`), method: definition.method, headers, body, timeoutMs, label, signal: timeoutSignal, timedBySignal: true,
          }, this.doFetch), attemptSignal).catch((error: unknown) => {
            if (error instanceof TaskCancelledError && !signal?.aborted) throw new ServiceUnavailable(`${label} timed out after ${timeoutMs / 1000}s`, { cause: error });
            throw error;
          });
          end();
          await this.recordInstance(name, instance.id, settings, true, state);
          return answer;
        } catch (error) {
          end();
          if (error instanceof ServiceRejected || signal?.aborted) throw error;
          await this.recordInstance(name, instance.id, settings, false, state);
          last = error;
          throw error;
        }
      }, signal);
    } catch (error) {
      if (error instanceof ServiceRejected || signal?.aborted) throw error;
      throw new ServiceUnavailable(`service "${name}": ${tried.size} instance(s) tried, all failed; last: ${(last as Error)?.message ?? 'call budget spent'}`, { cause: last });
    }
  }

  /** Passive health: a success on a healthy instance writes nothing; other outcomes are written (and cached). */
  private async recordInstance(name: string, id: string, settings: ServiceOrchestration, ok: boolean, state: ServiceState): Promise<void> {
    const current = state.health[id];
    if (ok && (current === undefined || (current.healthy && current.consecutiveFailures === 0))) return;
    const next = await recordHealth(this.store, name, id, settings.healthCheck, ok, current, this.now());
    this.states.patchHealth(name, id, next);
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

  private backoffMs(kind: ServiceOrchestration['backoff'], attempt: number): number {
    const base = this.deps.failoverDelayMs ?? 100;
    return kind === 'fixed' ? base : kind === 'linear' ? base * attempt : base * 2 ** (attempt - 1);
  }
}

/** Failures that count against a breaker: not a 4xx (the service answered), nor a fail-fast. */
function countsAgainstBreaker(error: Error): boolean {
  return !(error instanceof ServiceRejected) && !(error instanceof CircuitOpen) && !(error instanceof TrialOutcome);
}

/** A half-open trial's error, carrying the transitions its outcome caused in the shared record. */
class TrialOutcome extends Error {
  constructor(readonly error: unknown, readonly transitions: number) {
    super((error as Error)?.message);
  }
}
