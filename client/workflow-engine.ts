import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { StepflowApiError, WaitTimeoutError } from './errors.ts';
import { regionOfApiHost, sigV4Signer, type OutgoingRequest } from './sigv4.ts';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

const TERMINAL: readonly ExecutionStatus[] = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

/** An execution as `GET /workflows/{name}/executions/{id}` shows it. */
export interface Execution {
  readonly executionId: string;
  readonly workflow: string;
  readonly status: ExecutionStatus;
  readonly input: unknown;
  readonly output: unknown;
  readonly error: string | null;
  /** The error's message (Step Functions' Lambda error envelope unwrapped). */
  readonly cause: string | null;
  readonly startDate: string;
  readonly stopDate: string | null;
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

export interface WorkflowEngineOptions {
  /**
   * The API's base URL (with the stage for API Gateway, e.g. `https://id.execute-api.eu-west-1.amazonaws.com/prod`).
   * @default process.env.STEPFLOW_API_URL, else 'http://127.0.0.1:3000' (the offline stack)
   */
  readonly baseUrl?: string;
  /** `auto` signs requests to `*.amazonaws.com` with SigV4 and no others. @default 'auto' */
  readonly signing?: 'auto' | 'sigv4' | 'none';
  /** Region to sign for. @default the region in the API's hostname, else AWS_REGION, else 'us-east-1' */
  readonly region?: string;
  /** @default the SDK's default credential chain */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
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
  private readonly baseUrl: URL;
  private readonly doFetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly sign?: (request: OutgoingRequest) => Promise<Record<string, string>>;

  constructor(options: WorkflowEngineOptions = {}) {
    const base = options.baseUrl ?? process.env.STEPFLOW_API_URL ?? DEFAULT_API_URL;
    this.baseUrl = new URL(base.endsWith('/') ? base : `${base}/`);
    this.doFetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const signing = options.signing ?? 'auto';
    if (signing === 'sigv4' || (signing === 'auto' && /\.amazonaws\.com(\.cn)?$/.test(this.baseUrl.hostname))) {
      const region = options.region ?? regionOfApiHost(this.baseUrl.hostname) ?? process.env.AWS_REGION ?? 'us-east-1';
      this.sign = sigV4Signer({ region, credentials: options.credentials });
    }
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

  async cancel(workflow: string, executionId: string): Promise<void> {
    await this.request('POST', `workflows/${enc(workflow)}/executions/${enc(executionId)}/cancel`);
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

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(path, this.baseUrl);
    const text = body === undefined ? undefined : JSON.stringify(body);
    let headers: Record<string, string> = { accept: 'application/json', ...(text !== undefined ? { 'content-type': 'application/json' } : {}) };
    if (this.sign) headers = await this.sign({ method, url, headers, body: text });
    const response = await this.doFetch(url, { method, headers, body: text });
    const raw = await response.text();
    let parsed: unknown;
    try {
      parsed = raw ? JSON.parse(raw) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      // API Gateway's own errors (e.g. 403 from IAM auth) carry `{ message }` instead.
      const message = error?.message ?? (parsed as { message?: string } | undefined)?.message ?? (raw || response.statusText);
      throw new StepflowApiError(response.status, error?.code ?? `http_${response.status}`, message, error?.details);
    }
    return parsed as T;
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
