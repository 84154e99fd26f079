import { createHash, randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import type { SubmitJobResponse } from '../../../core/contracts/pool-api.ts';
import type { PoolJobMessage } from '../../../core/contracts/pool-job.ts';
import { MAX_DELAY_SECONDS } from '../../../core/definition/pool-limits.ts';
import { BadRequest, HttpError } from '../../../core/errors.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { poolsOf, requirePool, type PoolsDeps } from './pool-deps.ts';

/** Longest delay accepted: a year (beyond SQS's 15 minutes the job waits on a one-time schedule on AWS, a record on disk offline). */
const MAX_JOB_DELAY_SECONDS = 365 * 86_400;

export const submitJobBody = z
  .object({
    payload: z.unknown(),
    priority: z.string().min(1).max(16).optional(),
    idempotencyKey: z.string().min(1).max(256).optional(),
    delay: z.number().int().min(0).max(MAX_JOB_DELAY_SECONDS).optional(),
  })
  .strict()
  .refine((body) => 'payload' in body, { message: 'payload is required', path: ['payload'] });

/**
 * `POST /pools/{name}/jobs`: records the job (queued) and sends it to its lane; 202 `{ jobId }`. The same
 * idempotency key gives the same job id, and a job already recorded is not sent again. A delay up to 15
 * minutes is the message's DelaySeconds
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html).
 */
export async function submitPoolJob(deps: { readonly pools?: PoolsDeps }, poolName: string, body: unknown): Promise<ApiResult> {
  const pools = poolsOf(deps);
  const control = requirePool(pools, poolName);
  const request = parseRequest(submitJobBody, body ?? {}, 'request body');
  const definition = control.definition();
  const lane = request.priority ?? definition.lanes[0].name;
  if (!control.queues[lane]) {
    throw new BadRequest(`pool "${poolName}" has no lane "${lane}"; lanes: ${definition.lanes.map((l) => l.name).join(', ')}`, { code: 'unknown_lane' });
  }
  const delay = request.delay ?? 0;
  if (delay > MAX_DELAY_SECONDS && !control.runtime?.schedule) {
    throw new HttpError(422, 'delay_not_supported', `this API can delay a job by at most ${MAX_DELAY_SECONDS} seconds (SQS DelaySeconds), got ${delay}`);
  }
  const jobId = request.idempotencyKey ? `key-${createHash('sha256').update(`${poolName}\n${request.idempotencyKey}`).digest('hex').slice(0, 40)}` : randomUUID();
  const now = pools.now?.() ?? Date.now();
  const { created, record } = await pools.jobs.create({ pool: poolName, jobId, lane }, now);
  if (created) {
    const message: PoolJobMessage = { pool: poolName, lane: record.lane, jobId, payload: request.payload };
    if (delay <= MAX_DELAY_SECONDS) {
      await pools.sqs.send(new SendMessageCommand({
        QueueUrl: control.queues[record.lane].url,
        MessageBody: JSON.stringify(message),
        ...(delay > 0 ? { DelaySeconds: delay } : {}),
      }));
    } else {
      // Outlives the API: on AWS a one-time schedule, offline a record under the data dir.
      await control.runtime!.schedule!({ jobId, lane: record.lane, body: JSON.stringify(message) }, delay, now);
    }
  }
  const response: SubmitJobResponse = { jobId, created };
  return { statusCode: 202, body: response };
}
