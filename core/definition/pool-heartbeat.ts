/**
 * How a pool's running jobs prove their worker alive, declared once (the worker, the offline pool and the
 * pooled task's compiled state read it).
 *
 * A running job heartbeats every `intervalSeconds`: its record's `heartbeatAt` and lease, its message's
 * visibility (ChangeMessageVisibility's timeout counts from the call, so each beat hides it `stallSeconds`
 * from then: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html)
 * and, for a pooled workflow task, SendTaskHeartbeat. A job not heard from for `stallSeconds` (a few
 * intervals, well below the job timeout) is stalled: its message comes back and a new claim takes over.
 */
export interface PoolHeartbeat {
  readonly intervalSeconds: number;
  readonly stallSeconds: number;
}

/** Missed beats before a job counts as stalled. */
export const STALL_INTERVALS = 3;

export function poolHeartbeat(jobTimeoutSeconds: number): PoolHeartbeat {
  // A tenth of the timeout, 1 to 10 s: a stall is seen within 3 to 30 s, a fraction of the job timeout.
  const intervalSeconds = Math.min(10, Math.max(1, Math.floor(jobTimeoutSeconds / 10)));
  return { intervalSeconds, stallSeconds: STALL_INTERVALS * intervalSeconds };
}

/**
 * HeartbeatSeconds of a pooled task whose job may run longer than this: Step Functions fails a
 * `.waitForTaskToken` state with States.HeartbeatTimeout when no SendTaskHeartbeat comes within it
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskHeartbeat.html). Six worker
 * beats at the longest interval, and room for a stalled job's takeover (stall, then restart_delay).
 */
export const POOLED_TASK_HEARTBEAT_SECONDS = 60;
