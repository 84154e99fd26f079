import type { JobStatus, PoolJobRecord } from '../../core/contracts/pool-job.ts';

/** What claiming a delivered job found. */
export type ClaimResult =
  /** This delivery may run the handler. */
  | { readonly kind: 'claimed'; readonly attempt: number }
  /** The job already ended (an earlier delivery ran it): do not run it again. */
  | { readonly kind: 'settled'; readonly record: PoolJobRecord }
  /** Another delivery of the same message runs it now, within its lease. */
  | { readonly kind: 'busy' };

export interface NewJob {
  readonly pool: string;
  readonly jobId: string;
  readonly lane: string;
}

/** The end of one handler run. */
export type JobOutcome =
  | { readonly status: 'succeeded'; readonly result: unknown }
  /** `queued`: tried again later; `failed` and `dead_lettered`: for good. */
  | { readonly status: Extract<JobStatus, 'queued' | 'failed' | 'dead_lettered'>; readonly error: string; readonly cause: string };

/**
 * Job records: the idempotency record of at-least-once delivery (SQS may deliver a message twice:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues-at-least-once-delivery.html)
 * and what the API reports.
 */
export interface JobStore {
  /** Records a queued job; returns the existing record when the id is taken (the same idempotency key). */
  create(job: NewJob, now: number): Promise<{ readonly created: boolean; readonly record: PoolJobRecord }>;
  /** Takes the job for one run, leased until `now + leaseSeconds` (a crashed run's lease lapses). */
  claim(job: NewJob, leaseSeconds: number, now: number): Promise<ClaimResult>;
  /** Settles the run started by `claim` with that attempt; a run that lost its lease changes nothing. */
  settle(job: NewJob, attempt: number, outcome: JobOutcome, now: number): Promise<void>;
  /** Records what the run holding that attempt reports of its progress; a run that lost its lease changes nothing. */
  progress(job: NewJob, attempt: number, progress: unknown, now: number): Promise<void>;
  /** The run holding that attempt is alive: its lease runs `leaseSeconds` from now; a run that lost its lease changes nothing. */
  heartbeat?(job: NewJob, attempt: number, leaseSeconds: number, now: number): Promise<void>;
  /** Gives up a run's claim whose worker is known dead (not merely late): the next delivery may claim it at once. */
  release?(job: NewJob, attempt: number | undefined, now: number): Promise<void>;
  /**
   * A dead-lettered job about to go back on its queue: queued again with a fresh set of attempts (none
   * used, no error), so its next failure is not at once its last. Other jobs are left as they are.
   */
  resetForRedrive?(job: NewJob, now: number): Promise<void>;
  get(pool: string, jobId: string): Promise<PoolJobRecord | undefined>;
}
