import * as z from 'zod/mini';

/**
 * The body of every message on a pool's queues (JSON text: SQS bodies are strings). Jobs sent through the
 * API carry a `jobId`; a pooled workflow task's message carries the task token instead, and its job id is
 * derived from the token (one Step Functions attempt, one job).
 */
export const poolJobMessageSchema = z.object({
  pool: z.string().check(z.minLength(1)),
  lane: z.string().check(z.minLength(1)),
  jobId: z.optional(z.string().check(z.minLength(1))),
  /** Present when Step Functions waits for the answer (`sqs:sendMessage.waitForTaskToken`). */
  taskToken: z.optional(z.string().check(z.minLength(1))),
  payload: z.unknown(),
});

export type PoolJobMessage = z.infer<typeof poolJobMessageSchema>;

/** Where a job stands, as `GET /pools/{name}/jobs/{jobId}` reports it. */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'dead_lettered';

/** The job record kept in the table (one item per job): the API reads it, workers claim and settle it. */
export interface PoolJobRecord {
  readonly pool: string;
  readonly jobId: string;
  readonly lane: string;
  readonly status: JobStatus;
  /** Handler runs started so far. */
  readonly attempts: number;
  readonly result?: unknown;
  /** The last error's name and message. */
  readonly error?: string;
  readonly cause?: string;
  /** What the handler last reported through its context's `progress`. */
  readonly progress?: unknown;
  /** When the running attempt's worker last proved alive (it heartbeats while the handler runs). */
  readonly heartbeatAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Table keys of a job: one partition per pool, `JOB#<id>` items in it. */
export function poolJobKey(pool: string, jobId: string): { pk: string; sk: string } {
  return { pk: `POOL#${pool}`, sk: `JOB#${jobId}` };
}
