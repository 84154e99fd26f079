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
 * at a time), at most MAX_REDRIVE per request; `{ moved }`. Their job records go back to queued when a
 * worker claims them again.
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
      await pools.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body! })) }));
      await pools.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: dlqUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      for (const m of Messages) await requeue(pools, poolName, m.Body);
      moved += Messages.length;
    }
  }
  return { statusCode: 202, body: { pool: poolName, moved } };
}

/** A dead-lettered job's record is settled: it may run again once redriven. */
async function requeue(pools: PoolsDeps, pool: string, body: string | undefined) {
  try {
    const { jobId, lane } = JSON.parse(body ?? '{}') as { jobId?: string; lane?: string };
    if (jobId && lane) await pools.jobs.requeue?.({ pool, jobId, lane }, pools.now?.() ?? Date.now());
  } catch {
    // Not a job message: it is moved all the same.
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
  const current = control.definition();
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
