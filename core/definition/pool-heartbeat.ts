/**
 * How a pool's running jobs prove their worker alive, declared once (the worker, the offline pool and the
 * pooled task's compiled state read it).
 *
 * A running job heartbeats every `intervalSeconds`: its record's `heartbeatAt` and lease, its message's
 * visibility (ChangeMessageVisibility's timeout counts from the call, so each beat hides it `stallSeconds`
 * from then: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html)
 * and, for a pooled workflow task, SendTaskHeartbeat. A job not heard from for `stallSeconds` (a few
 * intervals, well below the job timeout) is stalled: its message comes back and a new claim takes over.
 *
 * A pooled task's state sets no HeartbeatSeconds: Step Functions starts that clock when the message is sent
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskHeartbeat.html), and a job
 * waiting in its queue (a backlog, a paused pool, a restart_delay) has no worker to beat for it, so the state
 * would fail with States.HeartbeatTimeout while nothing is wrong. The pool finds stalled jobs itself; the
 * worker's SendTaskHeartbeat on each beat resets the clock of a state that sets one and costs nothing else.
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
