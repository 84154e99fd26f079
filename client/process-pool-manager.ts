import type { JobView, PoolView, SubmitJobResponse } from '../core/contracts/pool-api.ts';
import { ApiTransport, type ApiClientOptions } from './api-transport.ts';

export type { JobView, PoolView } from '../core/contracts/pool-api.ts';

export interface ProcessPoolManagerOptions extends ApiClientOptions {
  /** The pool's name, as declared under `pools:`. */
  readonly pool: string;
}

/** What a process (a job of the pool) is started with. */
export interface CreateProcessRequest {
  /** The job's payload: what the pool's handler receives. */
  readonly command: unknown;
  readonly options?: {
    /** A lane of the pool. @default the pool's first lane */
    readonly priority?: string;
    /** The same key gives the same job, however often it is sent. */
    readonly idempotencyKey?: string;
    /** Seconds before the job may start. */
    readonly delay?: number;
  };
}

/** Jobs of one pool through the stepflow API (`/pools/{name}/...`), offline or on AWS. */
export class ProcessPoolManager {
  private readonly transport: ApiTransport;
  private readonly path: string;

  constructor(options: ProcessPoolManagerOptions) {
    this.transport = new ApiTransport(options);
    this.path = `pools/${encodeURIComponent(options.pool)}`;
  }

  /** Queues a job; resolves to its id. */
  async createProcess(request: CreateProcessRequest): Promise<string> {
    const { priority, idempotencyKey, delay } = request.options ?? {};
    const body = {
      payload: request.command,
      ...(priority !== undefined ? { priority } : {}),
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      ...(delay !== undefined ? { delay } : {}),
    };
    return (await this.transport.request<SubmitJobResponse>('POST', `${this.path}/jobs`, body)).jobId;
  }

  /** The job's record: status, attempts, result or error, progress. */
  status(jobId: string): Promise<JobView> {
    return this.transport.request<JobView>('GET', `${this.path}/jobs/${encodeURIComponent(jobId)}`);
  }

  /** The pool: settings, each lane's queue depths, dead-lettered jobs and (offline) live workers. */
  list(): Promise<PoolView> {
    return this.transport.request<PoolView>('GET', this.path);
  }

  /**
   * New sizes: offline the live pool changes; on AWS the lanes' event sources' MaximumConcurrency and the
   * provisioned concurrency of the worker's `live` alias (a pool deployed with min_size 0 has none: 409).
   */
  async scale(sizes: { minSize?: number; maxSize?: number }): Promise<void> {
    await this.transport.request('PUT', `${this.path}/scale`, sizes);
  }

  /** Jobs stay queued until `resume` (on AWS the lanes' event source mappings are disabled). */
  async pause(): Promise<void> {
    await this.transport.request('POST', `${this.path}/pause`);
  }

  async resume(): Promise<void> {
    await this.transport.request('POST', `${this.path}/resume`);
  }

  /** Moves dead-lettered jobs back to their lanes; resolves to how many moved. */
  async redrive(): Promise<number> {
    return (await this.transport.request<{ moved: number }>('POST', `${this.path}/dlq/redrive`)).moved;
  }
}
