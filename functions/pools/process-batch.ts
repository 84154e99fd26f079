import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { NON_RETRIABLE_ERROR_NAMES } from '../../core/errors.ts';
import { poolJobMessageSchema, type PoolJobMessage } from '../../core/contracts/pool-job.ts';
import { poolHeartbeat } from '../../core/definition/pool-heartbeat.ts';
import type { Logger } from '../shared/logger.ts';
import { JobHeartbeat, type Every } from './job-heartbeat.ts';
import type { JobStore } from './job-store.ts';
import { JobTimedOut } from './job-timed-out.ts';

/** What a job's handler receives besides its payload. */
export interface JobContext {
  readonly jobId: string;
  readonly pool: string;
  readonly lane: string;
  /** 1 on the first run. */
  readonly attempt: number;
  /** Records how far the job got (any JSON value), shown as `progress` by `GET /pools/{name}/jobs/{jobId}`. */
  readonly progress: (progress: unknown) => Promise<void>;
}

export type JobHandler = (payload: unknown, context: JobContext) => unknown;

/** The settings of the pool a worker serves. */
export interface WorkerPoolSettings {
  readonly name: string;
  readonly timeoutSeconds: number;
  /** The queue's maxReceiveCount: the run that fails at this attempt is the last. */
  readonly maxAttempts: number;
  readonly restartDelaySeconds: number;
  /** At most `max` job starts per window of `perSeconds`, across every worker. */
  readonly rateLimit?: { readonly max: number; readonly perSeconds: number };
}

export interface ProcessBatchDeps {
  readonly pool: WorkerPoolSettings;
  readonly handler: JobHandler;
  readonly store: JobStore;
  /** Answers Step Functions for a pooled task (SendTaskSuccess / SendTaskFailure). */
  readonly answerTask: (token: string, outcome: TaskAnswer) => Promise<void>;
  /** Hides a failed message for `seconds` before its next delivery (ChangeMessageVisibility). */
  readonly retryAfter: (record: SQSRecord, seconds: number) => Promise<void>;
  readonly now: () => number;
  readonly logger: Logger;
  /** Admits one job start under the pool's rate limit, waiting for a window with room. @default no limit */
  readonly admit?: () => Promise<void>;
  /** SendTaskHeartbeat for a pooled task's token, on each heartbeat of its job. @default none */
  readonly heartbeatTask?: (token: string) => Promise<void>;
  /** The heartbeat's clock. @default setInterval */
  readonly every?: Every;
  /**
   * Runs one handler (its timeout included) when the worker has room for it: a worker process given its
   * next batch early claims it while the current handler runs, and runs the handlers one at a time.
   * @default at once
   */
  readonly exclusive?: <T>(run: () => Promise<T>) => Promise<T>;
}

export type TaskAnswer = { readonly output: string } | { readonly error: string; readonly cause: string };

/**
 * One SQS batch, as an SQS event source delivers it, answered with a partial batch response: the ids of
 * the messages to deliver again, every other one being deleted
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting).
 * Each job runs its handler at most once per claim (the job record in DynamoDB), so a message delivered
 * twice has one side effect. A retryable failure waits `restartDelaySeconds`; at the last attempt the job
 * is recorded dead-lettered and the queue's redrive policy moves the message on its next receive.
 */
export async function processBatch(event: SQSEvent, deps: ProcessBatchDeps): Promise<SQSBatchResponse> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    if (!(await processRecord(record, deps))) batchItemFailures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures };
}

/** True when the message is done with (deleted), false when it must come back. */
async function processRecord(record: SQSRecord, deps: ProcessBatchDeps): Promise<boolean> {
  const message = parseMessage(record.body);
  if (!message) {
    deps.logger('error', 'malformed pool job message', { messageId: record.messageId });
    return false; // it can never run: the redrive policy takes it to the dead-letter queue
  }
  const job = { pool: message.pool, jobId: jobIdOf(message, record), lane: message.lane };
  await deps.admit?.();
  const timing = poolHeartbeat(deps.pool.timeoutSeconds);
  // Leased for one stall timeout, renewed by each heartbeat: a run whose worker froze or vanished loses it soon.
  const claim = await deps.store.claim(job, timing.stallSeconds, deps.now());
  if (claim.kind === 'busy') {
    // Its run may have died with its worker: look again once that run's lease has lapsed (no heartbeat renewed it).
    await deps.retryAfter(record, timing.stallSeconds);
    return false;
  }
  if (claim.kind === 'settled') {
    // Answered already, unless the worker stopped between settling and answering: answering twice is harmless.
    if (message.taskToken) await answer(deps, message.taskToken, claim.record.status === 'succeeded' ? { output: JSON.stringify(claim.record.result ?? null) } : { error: claim.record.error ?? 'Error', cause: claim.record.cause ?? '' });
    return true;
  }
  const attempt = claim.attempt;
  const heartbeat = new JobHeartbeat(timing, async () => {
    const token = message.taskToken;
    await Promise.all([
      deps.store.heartbeat?.(job, attempt, timing.stallSeconds, deps.now()),
      deps.retryAfter(record, timing.stallSeconds),
      token && deps.heartbeatTask ? deps.heartbeatTask(token).catch(ignoreGoneToken) : undefined,
    ]);
  }, (error) => deps.logger('warn', 'pool job heartbeat failed', { pool: job.pool, jobId: job.jobId, attempt, error: error.name, errorMessage: error.message }), deps.every);
  const run = () => withTimeout(deps.handler(message.payload, { ...job, attempt, progress: (value) => deps.store.progress(job, attempt, value, deps.now()) }), deps.pool.timeoutSeconds);
  // The outcome is recorded within the handler's turn: a worker whose next handler kills its process has
  // settled the job before, so that job does not run again.
  const runAndSettle = () => runAndRecord(deps, message, record, job, attempt, run, heartbeat);
  return deps.exclusive ? deps.exclusive(runAndSettle) : runAndSettle();
}

async function runAndRecord(
  deps: ProcessBatchDeps,
  message: PoolJobMessage,
  record: SQSRecord,
  job: { pool: string; jobId: string; lane: string },
  attempt: number,
  run: () => Promise<unknown>,
  heartbeat: JobHeartbeat,
): Promise<boolean> {
  try {
    let result: unknown;
    try {
      result = await run();
    } finally {
      await heartbeat.stop();
    }
    const output = JSON.stringify(result ?? null);
    await deps.store.settle(job, attempt, { status: 'succeeded', result: JSON.parse(output) }, deps.now());
    if (message.taskToken) await answer(deps, message.taskToken, { output });
    return true;
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    // Step Functions' Lambda error envelope, so a pooled task's Catch reads it as a Lambda task's.
    const cause = JSON.stringify({ errorType: error.name, errorMessage: error.message });
    const final = (NON_RETRIABLE_ERROR_NAMES as readonly string[]).includes(error.name);
    const last = attempt >= deps.pool.maxAttempts;
    const status = final ? 'failed' : last ? 'dead_lettered' : 'queued';
    deps.logger('warn', 'pool job failed', { pool: job.pool, jobId: job.jobId, attempt, status, error: error.name, errorMessage: error.message });
    await deps.store.settle(job, attempt, { status, error: error.name, cause }, deps.now());
    if (message.taskToken && status !== 'queued') await answer(deps, message.taskToken, { error: error.name, cause });
    if (final) return true;
    // The last attempt comes back too: its next receive is where the redrive policy moves it to the DLQ.
    await deps.retryAfter(record, deps.pool.restartDelaySeconds);
    return false;
  }
}

function parseMessage(body: string): PoolJobMessage | undefined {
  try {
    const parsed = poolJobMessageSchema.safeParse(JSON.parse(body));
    return parsed.success && (parsed.data.jobId || parsed.data.taskToken) ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The job a message carries (undefined for a malformed one). */
export function jobOfMessage(body: string, messageId: string): { pool: string; jobId: string; lane: string } | undefined {
  const message = parseMessage(body);
  return message && { pool: message.pool, jobId: jobIdOf(message, { messageId } as SQSRecord), lane: message.lane };
}

/** A pooled task's job is its task token: one Step Functions attempt, one job. */
function jobIdOf(message: PoolJobMessage, record: SQSRecord): string {
  if (message.jobId) return message.jobId;
  return `task-${createHash('sha256').update(message.taskToken ?? record.messageId).digest('hex').slice(0, 32)}`;
}

async function answer(deps: ProcessBatchDeps, token: string, outcome: TaskAnswer): Promise<void> {
  try {
    await deps.answerTask(token, outcome);
  } catch (error) {
    ignoreGoneToken(error);
  }
}

/** The execution stopped or timed out, or the token was answered already: nothing waits for this call. */
function ignoreGoneToken(error: unknown): void {
  const name = (error as Error).name;
  if (name !== 'TaskTimedOut' && name !== 'InvalidToken' && name !== 'TaskDoesNotExist') throw error;
}

async function withTimeout<T>(work: T | Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobTimedOut(seconds)), seconds * 1000);
  });
  try {
    return await Promise.race([Promise.resolve(work), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
