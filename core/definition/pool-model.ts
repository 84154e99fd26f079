import type { HandlerRef } from './handler-ref.ts';

/** A pool after validation: defaults applied (from `process_management:` then stepflow's), durations in seconds. */
export interface PoolDefinition {
  /** Letters, digits, hyphens and underscores; part of queue and function names. */
  readonly name: string;
  readonly description?: string;
  readonly handler: HandlerRef;
  /** Workers kept warm. @default 0 */
  readonly minSize: number;
  /** The concurrency cap, split between the lanes. @default 2 */
  readonly maxSize: number;
  /** @default 300 */
  readonly idleTimeoutSeconds: number;
  /** @default 1 */
  readonly batchSize: number;
  /** Longest one job may run. @default 30 */
  readonly timeoutSeconds: number;
  /** @default 512 */
  readonly memoryMb: number;
  /** Highest priority first; their concurrencies add up to maxSize. */
  readonly lanes: readonly PoolLane[];
  readonly monitoring: PoolMonitoring;
  readonly recovery: PoolRecovery;
  /** At most `max` job starts per window of `perSeconds`, across every worker. @default none */
  readonly rateLimit?: { readonly max: number; readonly perSeconds: number };
}

export interface PoolLane {
  readonly name: string;
  /** Share of max_size in percent, as written. */
  readonly share: number;
  /** Workers (on AWS: the event source's MaximumConcurrency) this lane gets. */
  readonly concurrency: number;
}

export interface PoolMonitoring {
  /** @default 30 */
  readonly healthCheckIntervalSeconds: number;
  /** @default true */
  readonly metricsCollection: boolean;
  /** @default true */
  readonly alerting: boolean;
}

export interface PoolRecovery {
  /** @default true */
  readonly autoRestart: boolean;
  /** Retries of a failing job; it is dead-lettered after maxRestarts + 1 attempts. @default 3 */
  readonly maxRestarts: number;
  /** Visibility timeout after a failure. @default 10 */
  readonly restartDelaySeconds: number;
}

/** A workflow task run as a job of a pool. */
export interface PooledTask {
  readonly pool: string;
  readonly lane: string;
}

export const POOL_DEFAULTS = {
  minSize: 0,
  maxSize: 2,
  idleTimeoutSeconds: 300,
  batchSize: 1,
  timeoutSeconds: 30,
  memoryMb: 512,
  lanes: { normal: 100 } as Readonly<Record<string, number>>,
  healthCheckIntervalSeconds: 30,
  maxRestarts: 3,
  restartDelaySeconds: 10,
} as const;

/** A pool's sizes and timings as the API shows them and the deployed API's configuration carries them. */
export function poolSettingsSummary(d: PoolDefinition) {
  return {
    ...(d.description ? { description: d.description } : {}),
    minSize: d.minSize,
    maxSize: d.maxSize,
    batchSize: d.batchSize,
    timeoutSeconds: d.timeoutSeconds,
    idleTimeoutSeconds: d.idleTimeoutSeconds,
    maxRestarts: d.recovery.maxRestarts,
    restartDelaySeconds: d.recovery.restartDelaySeconds,
  };
}
