import type { PoolJobRecord } from './pool-job.ts';

/** Wire shapes of the pool routes (`/pools/...`), shared by the API, the client and the console. */

/** `POST /pools/{name}/jobs`. */
export interface SubmitJobRequest {
  readonly payload: unknown;
  /** A lane of the pool. @default the pool's first lane */
  readonly priority?: string;
  /** The same key gives the same job (its id), however often it is sent. */
  readonly idempotencyKey?: string;
  /** Seconds before the job may start. @default 0 */
  readonly delay?: number;
}

export interface SubmitJobResponse {
  readonly jobId: string;
  /** False when the idempotency key named a job submitted before. */
  readonly created: boolean;
}

/** `GET /pools/{name}/jobs/{jobId}`: the job's record as the table keeps it. */
export type JobView = PoolJobRecord;

export interface LaneView {
  readonly name: string;
  /** Share of max_size in percent. */
  readonly share: number;
  readonly concurrency: number;
  /** Messages waiting (ApproximateNumberOfMessages). */
  readonly queued: number;
  /** Messages received and not yet deleted (ApproximateNumberOfMessagesNotVisible). */
  readonly inFlight: number;
  /** Messages not yet visible (ApproximateNumberOfMessagesDelayed). */
  readonly delayed: number;
  /** Messages in the lane's dead-letter queue. */
  readonly deadLettered: number;
}

/** A live offline worker. */
export interface WorkerView {
  readonly pid?: number;
  readonly state: 'starting' | 'idle' | 'busy' | 'stopped';
  readonly lastHealthCheck?: string;
}

/** `GET /pools/{name}`; `GET /pools` lists them. */
export interface PoolView {
  readonly name: string;
  readonly description?: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly batchSize: number;
  readonly timeoutSeconds: number;
  readonly idleTimeoutSeconds: number;
  readonly maxRestarts: number;
  readonly restartDelaySeconds: number;
  readonly paused: boolean;
  readonly lanes: readonly LaneView[];
  /** Offline only: the worker processes, workers replaced in a row, and whether that passed max_restarts. */
  readonly workers?: readonly WorkerView[];
  readonly restarts?: number;
  readonly degraded?: boolean;
}

export interface ScalePoolRequest {
  readonly minSize?: number;
  readonly maxSize?: number;
}
