import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { ChangeMessageVisibilityCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { ConfigurationError } from '../../core/errors.ts';
import { createPoolWorkerClients, type PoolWorkerClients } from '../shared/clients/pool-worker-clients.ts';
import type { Env } from '../shared/config.ts';
import { jsonLogger, type Logger } from '../shared/logger.ts';
import { DynamoDbJobStore } from './dynamodb-job-store.ts';
import { PoolRateLimiter } from './pool-rate-limiter.ts';
import { processBatch, type JobHandler, type ProcessBatchDeps, type WorkerPoolSettings } from './process-batch.ts';

export type PoolWorker = (event: SQSEvent) => Promise<SQSBatchResponse>;

export interface PoolWorkerProps {
  readonly handler: JobHandler;
  readonly pool: WorkerPoolSettings;
  readonly table: string;
  readonly clients: PoolWorkerClients;
  /** @default jsonLogger */
  readonly logger?: Logger;
  /** @default Date.now */
  readonly now?: () => number;
  /** See ProcessBatchDeps.exclusive. @default handlers run as their batches come */
  readonly exclusive?: ProcessBatchDeps['exclusive'];
}

/** The worker Lambda of one pool: an SQS batch in, a partial batch response out. */
export function createPoolWorker(props: PoolWorkerProps): PoolWorker {
  const { clients } = props;
  const queueUrls = new Map<string, Promise<string>>();
  const queueUrl = (record: SQSRecord) => {
    // arn:aws:sqs:<region>:<account>:<name>
    const [, , , , account, name] = record.eventSourceARN.split(':');
    if (!queueUrls.has(record.eventSourceARN)) {
      queueUrls.set(record.eventSourceARN, clients.sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account })).then((r) => r.QueueUrl!));
    }
    return queueUrls.get(record.eventSourceARN)!;
  };
  const deps: ProcessBatchDeps = {
    pool: props.pool,
    handler: props.handler,
    store: new DynamoDbJobStore({ client: clients.dynamo, tableName: props.table }),
    now: props.now ?? Date.now,
    logger: props.logger ?? jsonLogger,
    answerTask: async (token, outcome) => {
      if ('output' in outcome) await clients.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: outcome.output }));
      else await clients.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: outcome.error.slice(0, 256), cause: outcome.cause.slice(0, 32_768) }));
    },
    // Keeps a pooled task's state alive past its HeartbeatSeconds while the job runs
    // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskHeartbeat.html).
    heartbeatTask: async (token) => {
      await clients.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    },
    ...(props.exclusive ? { exclusive: props.exclusive } : {}),
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
    retryAfter: async (record, seconds) => {
      await clients.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: await queueUrl(record), ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
    },
  };
  const limit = props.pool.rateLimit;
  const limiter = limit && new PoolRateLimiter({ client: clients.dynamo, tableName: props.table, pool: props.pool.name, max: limit.max, perSeconds: limit.perSeconds });
  const withLimit: ProcessBatchDeps = limiter ? { ...deps, admit: () => limiter.admit() } : deps;
  return (event) => processBatch(event, withLimit);
}

const poolSettingsSchema = z.object({
  name: z.string().min(1),
  timeoutSeconds: z.number().positive(),
  maxAttempts: z.number().int().min(1),
  restartDelaySeconds: z.number().min(0),
  rateLimit: z.object({ max: z.number().int().min(1), perSeconds: z.number().positive() }).optional(),
});

/**
 * A deployed worker's settings from its environment: `STEPFLOW_TABLE`, `STEPFLOW_POOL` (JSON
 * `{ name, timeoutSeconds, maxAttempts, restartDelaySeconds }`) and `AWS_REGION`.
 */
export function poolWorkerFromEnv(handler: JobHandler, env: Env): PoolWorker {
  const table = env.STEPFLOW_TABLE;
  let pool: WorkerPoolSettings;
  try {
    pool = poolSettingsSchema.parse(JSON.parse(env.STEPFLOW_POOL ?? ''));
  } catch (error) {
    throw new ConfigurationError(`invalid environment: STEPFLOW_POOL must be the pool's settings as JSON (${(error as Error).message})`, { cause: error });
  }
  if (!table) throw new ConfigurationError('invalid environment: STEPFLOW_TABLE is not set');
  return createPoolWorker({ handler, pool, table, clients: createPoolWorkerClients({ region: env.AWS_REGION || 'us-east-1' }) });
}
