import type { WorkerState } from './worker-process.ts';

/** One worker as `GET /pools/{name}` shows it offline. */
export interface WorkerSnapshot {
  readonly pid?: number;
  readonly state: WorkerState;
  readonly lastHealthCheck?: string;
}

/** An offline pool at a glance: its workers, replacements in a row, peak concurrency, paused or not. */
export interface PoolSnapshot {
  readonly name: string;
  readonly workers: readonly WorkerSnapshot[];
  /** Workers replaced after a crash or a failed health check, in a row. */
  readonly restarts: number;
  /** More than max_restarts replacements in a row. */
  readonly degraded: boolean;
  readonly peakConcurrency: number;
  readonly paused: boolean;
}
