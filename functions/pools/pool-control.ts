import type { PoolDefinition, PoolLane } from '../../core/definition/pool-model.ts';
import type { WorkerView } from '../../core/contracts/pool-api.ts';

/** One lane's queues. */
export interface LaneQueues {
  readonly url: string;
  readonly dlqUrl: string;
}

/**
 * What runs a pool's workers, where the API cannot do it through SQS alone: offline the LocalPool, on AWS
 * the lanes' event source mappings.
 */
export interface PoolRuntime {
  pause(): Promise<void>;
  resume(): Promise<void>;
  paused(): Promise<boolean>;
  /** New sizes; the lanes' concurrencies follow their shares. */
  scale(sizes: { minSize: number; maxSize: number }): Promise<void>;
  /** Offline: the live worker processes. */
  live?(): { readonly workers: readonly WorkerView[]; readonly restarts: number; readonly degraded: boolean };
  /**
   * A job delayed past SQS's 15 minutes, sent when due: on AWS by a one-time schedule, offline from a record
   * kept under the data dir. Resolves once the job is kept (it outlives the API process).
   */
  schedule?(job: ScheduledJob, delaySeconds: number, now: number): Promise<void>;
  /** On AWS: the sizes as they are now (scaled through the API since the deployment, or not). */
  sizes?(): Promise<{ readonly minSize: number; readonly maxSize: number; readonly lanes: readonly PoolLane[] }>;
}

/** A job message to send to its lane later. */
export interface ScheduledJob {
  readonly jobId: string;
  readonly lane: string;
  /** The message body, as sent to the lane's queue. */
  readonly body: string;
}

/** A pool as the API sees it: its definition (sizes as they are now), its lanes' queues and its runtime. */
export interface PoolControl {
  definition(): PoolDefinition;
  readonly queues: Readonly<Record<string, LaneQueues>>;
  readonly runtime?: PoolRuntime;
}
