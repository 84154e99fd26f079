import type { RegisterInstanceBody, ServiceSummary, ServiceView } from '../core/contracts/service-view.ts';
import type { ApiClientOptions } from './api-transport.ts';
import { ApiTransport } from './api-transport.ts';
import { WorkflowEngine, type Execution } from './workflow-engine.ts';

export type DiscoveryType = 'registry' | 'cloudmap' | 'consul' | 'static';
export type LoadBalancingAlgorithm = 'round_robin' | 'weighted' | 'least_outstanding' | 'random';

export interface ServiceOrchestratorOptions extends ApiClientOptions {
  /** Handed to the workflow in its input (`orchestration.discovery`); the services' own settings come from the definition. @default 'registry' */
  readonly discovery?: DiscoveryType;
  /** Handed to the workflow in its input (`orchestration.loadBalancing`). @default 'round_robin' */
  readonly loadBalancing?: LoadBalancingAlgorithm;
  /** Wait between status polls in ms. @default 500 */
  readonly pollMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface OrchestrateRequest {
  /** The services the workflow is to call: its input's `services`. */
  readonly services: readonly string[];
  /** The workflow (a definition whose service tasks read them). */
  readonly workflow: string;
  /** Further input fields. */
  readonly input?: Record<string, unknown>;
  readonly options?: {
    /** How long to wait for the result, in ms. @default 300000 */
    readonly timeout?: number;
    /** Executions started again after one that did not succeed. @default 0 */
    readonly retries?: number;
  };
}

/** The result of `orchestrate`: the last execution's output and every execution it took. */
export interface OrchestrationResult {
  readonly status: Execution['status'];
  readonly output?: unknown;
  readonly error: string | null;
  readonly cause: string | null;
  readonly executionIds: readonly string[];
}

/**
 * The specification's ServiceOrchestrator: starts a workflow with a list of services and waits for its
 * result, and manages the service registry (PUT/DELETE /services/{name}/instances/{id}, GET /services).
 */
export class ServiceOrchestrator {
  private readonly transport: ApiTransport;
  private readonly engine: WorkflowEngine;
  private readonly discovery: DiscoveryType;
  private readonly loadBalancing: LoadBalancingAlgorithm;
  private readonly pollMs: number;

  constructor(options: ServiceOrchestratorOptions = {}) {
    this.transport = new ApiTransport(options);
    this.engine = new WorkflowEngine(options);
    this.discovery = options.discovery ?? 'registry';
    this.loadBalancing = options.loadBalancing ?? 'round_robin';
    this.pollMs = options.pollMs ?? 500;
  }

  /**
   * Starts `workflow` with `{ services, orchestration: { discovery, loadBalancing }, ...input }` and waits up
   * to `options.timeout` for it to end; a run that does not succeed is started again up to `options.retries`
   * times. Throws WaitTimeoutError when the time is up (the execution goes on).
   */
  async orchestrate(request: OrchestrateRequest): Promise<OrchestrationResult> {
    if (request.services.length === 0) throw new TypeError('orchestrate needs at least one service');
    const timeoutMs = request.options?.timeout ?? 300_000;
    const retries = request.options?.retries ?? 0;
    const started = Date.now();
    const executionIds: string[] = [];
    const input = { ...request.input, services: [...request.services], orchestration: { discovery: this.discovery, loadBalancing: this.loadBalancing } };
    for (let attempt = 0; ; attempt++) {
      const id = await this.engine.execute(request.workflow, input);
      executionIds.push(id);
      const execution = await this.engine.wait(request.workflow, id, { timeoutMs: Math.max(0, timeoutMs - (Date.now() - started)), pollMs: this.pollMs });
      if (execution.status === 'SUCCEEDED' || attempt >= retries) {
        return { status: execution.status, output: execution.output, error: execution.error, cause: execution.cause, executionIds };
      }
    }
  }

  /** Registers an instance (or renews its heartbeat: instances not renewed within 90 s are no longer called). */
  register(service: string, id: string, instance: RegisterInstanceBody): Promise<unknown> {
    return this.transport.request('PUT', `services/${enc(service)}/instances/${enc(id)}`, instance);
  }

  async deregister(service: string, id: string): Promise<void> {
    await this.transport.request('DELETE', `services/${enc(service)}/instances/${enc(id)}`);
  }

  /** Every service registered or called, or one service's instances, breaker and metrics. */
  services(): Promise<ServiceSummary[]>;
  services(name: string): Promise<ServiceView>;
  async services(name?: string): Promise<ServiceSummary[] | ServiceView> {
    if (name !== undefined) return this.transport.request<ServiceView>('GET', `services/${enc(name)}`);
    return (await this.transport.request<{ services: ServiceSummary[] }>('GET', 'services')).services;
  }
}

const enc = encodeURIComponent;
