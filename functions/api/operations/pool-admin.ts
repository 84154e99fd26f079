import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { MAX_EVENT_SOURCE_CONCURRENCY, MIN_EVENT_SOURCE_CONCURRENCY } from '../../../core/definition/pool-limits.ts';
import { BadRequest } from '../../../core/errors.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { poolsOf, requirePool, runtimeOf, type PoolsDeps } from './pool-deps.ts';

/** Messages moved per redrive request, so one request stays within the API's time limit. */
const MAX_REDRIVE = 1000;

/**
 * `POST /pools/{name}/dlq/redrive`: moves dead-lettered jobs back to their lane (receive, send, delete, ten
 * at a time), at most MAX_REDRIVE per request; `{ moved }`. Each job's record is reset first (queued, no
 * attempt used), so a worker may claim it as soon as it is sent and it gets every attempt again. Receive,
 * send and delete rather than StartMessageMoveTask
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html),
 * which moves the messages without showing them: the records could not be reset before their jobs run.
 */
export async function redrivePool(deps: { readonly pools?: PoolsDeps }, poolName: string): Promise<ApiResult> {
  const pools = poolsOf(deps);
  const control = requirePool(pools, poolName);
  let moved = 0;
  for (const lane of control.definition().lanes) {
    const { url, dlqUrl } = control.queues[lane.name];
    while (moved < MAX_REDRIVE) {
      const { Messages = [] } = await pools.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30 }));
      if (!Messages.length) break;
      for (const m of Messages) await resetForRedrive(pools, poolName, m.Body);
      await pools.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body! })) }));
      await pools.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: dlqUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      moved += Messages.length;
    }
  }
  return { statusCode: 202, body: { pool: poolName, moved } };
}

/** A dead-lettered job's record is settled: reset, it may run again, with every attempt. */
async function resetForRedrive(pools: PoolsDeps, pool: string, body: string | undefined) {
  let job: { jobId?: unknown; lane?: unknown };
  try {
    job = JSON.parse(body ?? '{}') as typeof job;
  } catch {
    return; // Not a job message: it is moved all the same.
  }
  if (typeof job.jobId === 'string' && typeof job.lane === 'string') {
    await pools.jobs.resetForRedrive?.({ pool, jobId: job.jobId, lane: job.lane }, pools.now?.() ?? Date.now());
  }
}

/** `POST /pools/{name}/pause`: jobs stay queued until resume. */
export async function pausePool(deps: { readonly pools?: PoolsDeps }, poolName: string): Promise<ApiResult> {
  const pools = poolsOf(deps);
  await runtimeOf(requirePool(pools, poolName), 'pause').pause();
  return { statusCode: 202, body: { pool: poolName, paused: true } };
}

/** `POST /pools/{name}/resume`. */
export async function resumePool(deps: { readonly pools?: PoolsDeps }, poolName: string): Promise<ApiResult> {
  const pools = poolsOf(deps);
  await runtimeOf(requirePool(pools, poolName), 'resume').resume();
  return { statusCode: 202, body: { pool: poolName, paused: false } };
}

export const scalePoolBody = z
  .object({
    minSize: z.number().int().min(0).max(MAX_EVENT_SOURCE_CONCURRENCY).optional(),
    maxSize: z.number().int().min(MIN_EVENT_SOURCE_CONCURRENCY).max(MAX_EVENT_SOURCE_CONCURRENCY).optional(),
  })
  .strict();

/** `PUT /pools/{name}/scale` `{ minSize?, maxSize? }`: new sizes, each lane keeping its share (at least 2). */
export async function scalePool(deps: { readonly pools?: PoolsDeps }, poolName: string, body: unknown): Promise<ApiResult> {
  const pools = poolsOf(deps);
  const control = requirePool(pools, poolName);
  const request = parseRequest(scalePoolBody, body ?? {}, 'request body');
  const current = { ...control.definition(), ...(await control.runtime?.sizes?.()) };
  const minSize = request.minSize ?? current.minSize;
  const maxSize = request.maxSize ?? current.maxSize;
  if (minSize > maxSize) throw new BadRequest(`minSize (${minSize}) must not exceed maxSize (${maxSize})`, { code: 'invalid_request' });
  for (const lane of current.lanes) {
    if (Math.floor((maxSize * lane.share) / 100) < MIN_EVENT_SOURCE_CONCURRENCY) {
      throw new BadRequest(`lane ${lane.name} would get ${Math.floor((maxSize * lane.share) / 100)} of maxSize ${maxSize}; each lane needs at least ${MIN_EVENT_SOURCE_CONCURRENCY} (an SQS event source's MaximumConcurrency)`, { code: 'invalid_request' });
    }
  }
  await runtimeOf(control, 'scale').scale({ minSize, maxSize });
  return { statusCode: 202, body: { pool: poolName, minSize, maxSize } };
}
