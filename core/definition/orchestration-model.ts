import type { DefinitionPath, DiagnosticCode, Severity } from './diagnostics.ts';
import { parseDuration } from './duration.ts';
import type { AGGREGATE_STRATEGIES, BALANCING_ALGORITHMS, DISCOVERY_TYPES, OrchestrationSpec } from './orchestration-schema.ts';

export type DiscoveryType = (typeof DISCOVERY_TYPES)[number];
export type BalancingAlgorithm = (typeof BALANCING_ALGORITHMS)[number];
export type AggregateStrategy = (typeof AGGREGATE_STRATEGIES)[number];

export interface HealthCheckSettings {
  readonly path: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly unhealthyAfter: number;
  readonly healthyAfter: number;
  /** Active probes run on a schedule; passive health (call outcomes) always counts. */
  readonly active: boolean;
}

export interface CircuitBreakerSettings {
  readonly failureRate: number;
  readonly minimumCalls: number;
  readonly windowSeconds: number;
  readonly openForSeconds: number;
  readonly halfOpenCalls: number;
}

/** A service's orchestration, defaults of the `orchestration:` block applied. */
export interface ServiceOrchestration {
  readonly discovery: DiscoveryType;
  /** How long discovered instances (Cloud Map, Consul) are cached. */
  readonly refreshSeconds: number;
  /** Static instance URLs (the service's `url` included). */
  readonly instances: readonly string[];
  readonly algorithm: BalancingAlgorithm;
  /** Skip instances marked down. */
  readonly skipUnhealthy: boolean;
  readonly failover: boolean;
  /** Instances tried per call. */
  readonly maxAttempts: number;
  readonly backoff: 'exponential' | 'linear' | 'fixed';
  /** Budget of a whole call, failovers included. */
  readonly callBudgetSeconds: number;
  readonly healthCheck: HealthCheckSettings;
  readonly circuitBreaker?: CircuitBreakerSettings;
  /** The service called while this one's breaker is open or every instance failed. */
  readonly fallback?: string;
  readonly cloudmap?: { readonly namespace: string; readonly service: string };
  readonly consul?: { readonly address: string; readonly service: string };
}

/** A task calling several services at once. */
export interface AggregationSettings {
  /** The services listed in the definition; empty when they come from the input (`servicesPath`). */
  readonly services: readonly string[];
  /** A JSONPath into the execution input (`$.services`) holding the list, resolved at run time. */
  readonly servicesPath?: string;
  readonly strategy: AggregateStrategy;
  /**
   * Successes needed: `quorum`, services.length for merge/all, 1 for first_success. With `servicesPath`
   * and no `quorum` set, 0: the invoker counts it from the list it receives.
   */
  readonly quorum: number;
}

/** A JSONPath into the execution input naming a list, as `services:` accepts it: `$.services`, `$.order.services`. */
export const INPUT_LIST_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_-]*)+$/;

export const DEFAULT_HEALTH_CHECK: Omit<HealthCheckSettings, 'active'> = { path: '/health', intervalSeconds: 10, timeoutSeconds: 2, unhealthyAfter: 3, healthyAfter: 2 };
export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerSettings = { failureRate: 0.5, minimumCalls: 10, windowSeconds: 60, openForSeconds: 30, halfOpenCalls: 1 };

/** The raw service fields this module reads (a subset of the service schema's output). */
export interface ServiceOrchestrationSpec {
  readonly url?: string;
  readonly timeout?: string | number;
  readonly discovery?: DiscoveryType;
  readonly instances?: readonly string[];
  readonly load_balancing?: BalancingAlgorithm;
  readonly health_check?: { path?: string; interval?: string | number; timeout?: string | number; unhealthy_after?: number; healthy_after?: number };
  readonly circuit_breaker?: { failure_rate?: number; minimum_calls?: number; window?: string | number; open_for?: string | number; half_open_calls?: number };
  readonly fallback?: string;
  readonly cloudmap?: { namespace?: string; service?: string };
  readonly consul?: { address?: string; service?: string };
}

const ORCHESTRATION_KEYS = ['discovery', 'instances', 'load_balancing', 'health_check', 'circuit_breaker', 'fallback', 'cloudmap', 'consul'] as const;

/** A service is orchestrated when the definition has an `orchestration:` block or the service sets any orchestration field. */
export function isOrchestrated(service: ServiceOrchestrationSpec, block: OrchestrationSpec | undefined): boolean {
  return block !== undefined || ORCHESTRATION_KEYS.some((key) => service[key] !== undefined);
}

const secondsOf = (value: string | number | undefined) => (value === undefined ? undefined : parseDuration(value));

export function normaliseServiceOrchestration(name: string, service: ServiceOrchestrationSpec, block: OrchestrationSpec = {}): ServiceOrchestration {
  const hc = service.health_check ?? {};
  const cb = service.circuit_breaker;
  const discovery = service.discovery ?? block.service_discovery?.type ?? 'registry';
  return {
    discovery,
    refreshSeconds: secondsOf(block.service_discovery?.refresh_interval) ?? 30,
    instances: [...(service.url ? [service.url] : []), ...(service.instances ?? [])],
    algorithm: service.load_balancing ?? block.load_balancing?.algorithm ?? 'round_robin',
    skipUnhealthy: block.load_balancing?.health_check ?? true,
    failover: block.load_balancing?.failover ?? true,
    maxAttempts: block.retry?.max_attempts ?? 3,
    backoff: block.retry?.backoff ?? 'exponential',
    callBudgetSeconds: secondsOf(block.timeout?.max) ?? 300,
    healthCheck: {
      path: hc.path ?? DEFAULT_HEALTH_CHECK.path,
      intervalSeconds: secondsOf(hc.interval) ?? DEFAULT_HEALTH_CHECK.intervalSeconds,
      timeoutSeconds: secondsOf(hc.timeout) ?? DEFAULT_HEALTH_CHECK.timeoutSeconds,
      unhealthyAfter: hc.unhealthy_after ?? DEFAULT_HEALTH_CHECK.unhealthyAfter,
      healthyAfter: hc.healthy_after ?? DEFAULT_HEALTH_CHECK.healthyAfter,
      active: block.service_discovery?.health_check ?? true,
    },
    ...(cb ? {
      circuitBreaker: {
        failureRate: cb.failure_rate ?? DEFAULT_CIRCUIT_BREAKER.failureRate,
        minimumCalls: cb.minimum_calls ?? DEFAULT_CIRCUIT_BREAKER.minimumCalls,
        windowSeconds: secondsOf(cb.window) ?? DEFAULT_CIRCUIT_BREAKER.windowSeconds,
        openForSeconds: secondsOf(cb.open_for) ?? DEFAULT_CIRCUIT_BREAKER.openForSeconds,
        halfOpenCalls: cb.half_open_calls ?? DEFAULT_CIRCUIT_BREAKER.halfOpenCalls,
      },
    } : {}),
    ...(service.fallback ? { fallback: service.fallback } : {}),
    ...(discovery === 'cloudmap' && service.cloudmap?.namespace ? { cloudmap: { namespace: service.cloudmap.namespace, service: service.cloudmap.service ?? name } } : {}),
    ...(discovery === 'consul' && service.consul?.address ? { consul: { address: service.consul.address, service: service.consul.service ?? name } } : {}),
  };
}

export function normaliseAggregation(task: { services?: readonly string[] | string; aggregate?: AggregateStrategy; quorum?: number }): AggregationSettings | undefined {
  if (!task.services) return undefined;
  const strategy = task.aggregate ?? 'merge';
  if (typeof task.services === 'string') {
    return { services: [], servicesPath: task.services, strategy, quorum: strategy === 'first_success' ? 1 : strategy === 'quorum' ? (task.quorum ?? 0) : 0 };
  }
  const quorum = strategy === 'quorum' ? (task.quorum ?? Math.floor(task.services.length / 2) + 1) : strategy === 'first_success' ? 1 : task.services.length;
  return { services: [...task.services], strategy, quorum };
}

type Report = (code: DiagnosticCode, path: DefinitionPath, message: string, severity?: Severity) => void;

interface WorkflowShape {
  readonly services?: Readonly<Record<string, ServiceOrchestrationSpec>>;
  readonly tasks: readonly { name: string; type?: string; service?: string; services?: readonly string[] | string; aggregate?: AggregateStrategy; quorum?: number }[];
}

/** Checks of services' orchestration and of aggregating tasks that the schema alone cannot make. */
export function validateOrchestration(workflow: WorkflowShape, block: OrchestrationSpec | undefined, report: Report): void {
  const services = workflow.services ?? {};
  const names = Object.keys(services);
  for (const [name, service] of Object.entries(services)) {
    const at = (...rest: (string | number)[]) => ['workflow', 'services', name, ...rest];
    const orchestrated = isOrchestrated(service, block);
    const discovery = service.discovery ?? block?.service_discovery?.type ?? 'registry';
    if (!orchestrated && !service.url) report('missing_instances', at(), `service "${name}" needs a url (or instances, or a discovery)`);
    if (discovery === 'static' && !service.url && !service.instances?.length) {
      report('missing_instances', at('discovery'), `service "${name}" uses static discovery but lists no instances (set url or instances)`);
    }
    if (discovery === 'cloudmap' && !service.cloudmap?.namespace) {
      report('missing_discovery_settings', service.cloudmap ? at('cloudmap') : at('discovery'), `service "${name}" uses cloudmap discovery: set cloudmap.namespace`);
    }
    if (discovery === 'consul' && !service.consul?.address) {
      report('missing_discovery_settings', service.consul ? at('consul') : at('discovery'), `service "${name}" uses consul discovery: set consul.address (e.g. http://127.0.0.1:8500)`);
    }
    if (service.cloudmap && discovery !== 'cloudmap') report('unused_setting', at('cloudmap'), `cloudmap settings of service "${name}" are ignored: its discovery is ${discovery}`, 'warning');
    if (service.consul && discovery !== 'consul') report('unused_setting', at('consul'), `consul settings of service "${name}" are ignored: its discovery is ${discovery}`, 'warning');
    (service.instances ?? []).forEach((url, i) => {
      if (!/^https?:\/\//.test(url) && !url.startsWith('${')) report('invalid_value', at('instances', i), `instance "${url}" must be an http(s) URL`);
    });
    if (service.fallback !== undefined) {
      if (service.fallback === name) report('invalid_fallback', at('fallback'), `service "${name}" cannot be its own fallback`);
      else if (!services[service.fallback]) report('unknown_service', at('fallback'), `fallback service "${service.fallback}" is not declared under workflow.services${hint(service.fallback, names)}`);
    }
  }
  for (const loop of fallbackLoops(services)) {
    report('cycle', ['workflow', 'services', loop[0], 'fallback'], `service fallback loop: ${[...loop, loop[0]].join(' → ')}`);
  }
  workflow.tasks.forEach((task, i) => {
    const at = (...rest: (string | number)[]) => ['workflow', 'tasks', i, ...rest];
    if (task.services === undefined) {
      if (task.aggregate !== undefined) report('invalid_aggregation', at('aggregate'), `aggregate applies to a task with services: [...]`);
      if (task.quorum !== undefined) report('invalid_aggregation', at('quorum'), `quorum applies to a task with services: [...] and aggregate: quorum`);
      return;
    }
    if ((task.type ?? 'function') !== 'service') report('invalid_aggregation', at('services'), `task "${task.name}" lists services: set type: service`);
    if (task.service !== undefined) report('invalid_aggregation', at('service'), `task "${task.name}" sets both service and services: use one`);
    if (typeof task.services === 'string') {
      // Which services, and whether they exist, is known at run time (stepflow.UnknownService).
      if (!INPUT_LIST_PATH.test(task.services)) {
        report('invalid_value', at('services'), `services must list service names or be a JSONPath into the execution input such as $.services, got ${JSON.stringify(task.services)}`);
      }
      if (task.quorum !== undefined && task.aggregate !== 'quorum') report('invalid_aggregation', at('quorum'), `quorum applies to aggregate: quorum`);
      return;
    }
    task.services.forEach((s, j) => {
      if (!services[s]) report('unknown_service', ['workflow', 'tasks', i, 'services', j], `service "${s}" is not declared under workflow.services; it must be registered before the task runs`, 'warning');
    });
    if (new Set(task.services).size !== task.services.length) report('invalid_aggregation', at('services'), `task "${task.name}" lists a service twice`);
    if (task.quorum !== undefined && task.aggregate !== 'quorum') report('invalid_aggregation', at('quorum'), `quorum applies to aggregate: quorum`);
    if (task.aggregate === 'quorum' && task.quorum !== undefined && task.quorum > task.services.length) {
      report('value_out_of_range', at('quorum'), `quorum ${task.quorum} is more than the ${task.services.length} services listed`);
    }
  });
}

function hint(name: string, names: string[]): string {
  const near = names.find((n) => n.toLowerCase() === name.toLowerCase() || n.startsWith(name) || name.startsWith(n));
  return near ? ` (did you mean "${near}"?)` : '';
}

function fallbackLoops(services: Readonly<Record<string, ServiceOrchestrationSpec>>): string[][] {
  const seen = new Set<string>();
  const loops: string[][] = [];
  for (const start of Object.keys(services)) {
    const chain: string[] = [];
    let current: string | undefined = start;
    while (current && services[current] && !chain.includes(current)) {
      chain.push(current);
      current = services[current].fallback;
    }
    if (current === start && chain.length > 1 && !chain.some((n) => seen.has(n))) {
      chain.forEach((n) => seen.add(n));
      loops.push(chain);
    }
  }
  return loops;
}
