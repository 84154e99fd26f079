import { ApiTransport, enc, type ApiClientOptions } from './api-transport.ts';
import { WaitTimeoutError } from './errors.ts';


import type { ExecutionStatus } from '../core/contracts/execution-status.ts';
import type { ExecutionView } from '../core/contracts/execution-view.ts';
import type { TaskState } from '../core/contracts/task-state.ts';

export type { ExecutionStatus, TaskState };

const TERMINAL: readonly ExecutionStatus[] = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

/** An execution as `GET /workflows/{name}/executions/{id}` shows it. */
export type Execution = ExecutionView;

/** What `redrive` answers. */
export interface RedriveRequested {
  readonly executionId: string;
  readonly workflow: string;
  /** The redrive count the execution will have once Step Functions reports it running again. */
  readonly redriveCount: number;
  readonly redriveDate: string;
}

export interface ExecutionSummary {
  readonly executionId: string;
  readonly workflow: string;
  readonly status: ExecutionStatus;
  readonly startDate: string;
  readonly stopDate?: string;
  readonly error?: string;
}

export interface WorkflowInfo {
  readonly name: string;
  readonly mode: 'STANDARD' | 'EXPRESS';
  readonly hasInputSchema: boolean;
}

export interface WorkflowEngineOptions extends ApiClientOptions {
  /** How `wait` pauses between polls (injectable for tests). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface WaitOptions {
  /** @default 300000 (5 minutes) */
  readonly timeoutMs?: number;
  /** @default 1000 */
  readonly pollMs?: number;
}

export interface ListOptions {
  readonly status?: ExecutionStatus;
  /** 1 to 100. @default 20 */
  readonly limit?: number;
  readonly nextToken?: string;
}

/** A client of the stepflow REST API, offline or on API Gateway. */
export class WorkflowEngine {
  private readonly transport: ApiTransport;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: WorkflowEngineOptions = {}) {
    this.transport = new ApiTransport(options);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Starts an execution; returns its id. With `name`, starting again with the same input is a no-op. */
  async execute(workflow: string, input: unknown, options: { readonly name?: string } = {}): Promise<string> {
    const body = await this.request<{ executionId: string }>('POST', `workflows/${enc(workflow)}/executions`, {
      input,
      ...(options.name ? { name: options.name } : {}),
    });
    return body.executionId;
  }

  status(workflow: string, executionId: string): Promise<Execution> {
    return this.request('GET', `workflows/${enc(workflow)}/executions/${enc(executionId)}`);
  }

  /** Polls until the execution has finished (whatever its outcome) or `timeoutMs` has passed. */
  async wait(workflow: string, executionId: string, options: WaitOptions = {}): Promise<Execution> {
    const timeoutMs = options.timeoutMs ?? 300_000;
    const pollMs = options.pollMs ?? 1000;
    let waited = 0;
    for (;;) {
      const execution = await this.status(workflow, executionId);
      if (TERMINAL.includes(execution.status)) return execution;
      if (waited >= timeoutMs) throw new WaitTimeoutError(workflow, executionId, execution.status);
      await this.sleep(pollMs);
      waited += pollMs;
    }
  }

  /** Asks Step Functions to stop a running Standard execution (409 for Express or finished ones). */
  async cancel(workflow: string, executionId: string): Promise<void> {
    await this.request('POST', `workflows/${enc(workflow)}/executions/${enc(executionId)}/cancel`);
  }

  /**
   * Runs a FAILED, TIMED_OUT or ABORTED Standard execution again from the states that did not succeed
   * (Step Functions RedriveExecution). The offline stack answers 501: it cannot resume an execution.
   */
  redrive(workflow: string, executionId: string): Promise<RedriveRequested> {
    return this.request('POST', `workflows/${enc(workflow)}/executions/${enc(executionId)}/redrive`);
  }

  list(workflow: string, options: ListOptions = {}): Promise<{ items: ExecutionSummary[]; nextToken?: string }> {
    const query = new URLSearchParams();
    if (options.status) query.set('status', options.status);
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.nextToken) query.set('nextToken', options.nextToken);
    const suffix = query.size ? `?${query}` : '';
    return this.request('GET', `workflows/${enc(workflow)}/executions${suffix}`);
  }

  async workflows(): Promise<WorkflowInfo[]> {
    return (await this.request<{ items: WorkflowInfo[] }>('GET', 'workflows')).items;
  }

  private request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.transport.request<T>(method, path, body);
  }
}

