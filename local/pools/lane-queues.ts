import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { poolQueueNames } from '../../core/compiler/pools.ts';
import { poolVisibilityTimeout } from '../../core/definition/pool-limits.ts';
import type { PoolDefinition } from '../../core/definition/pool-model.ts';
import { maxAttempts } from '../../core/definition/pools.ts';

/** One lane's queue and dead-letter queue, by URL. */
export interface LaneQueue {
  readonly url: string;
  readonly dlqUrl: string;
}

/**
 * Creates every lane's queue and dead-letter queue in fauxqs, with the visibility timeout and redrive policy
 * a deployed lane gets. A queue kept from an earlier run (fauxqs on disk) stays, with its jobs, and takes
 * the current settings.
 */
export async function createLaneQueues(sqs: SQSClient, pool: PoolDefinition): Promise<Record<string, LaneQueue>> {
  const queues: Record<string, LaneQueue> = {};
  for (const lane of pool.lanes) {
    const names = poolQueueNames(pool.name, lane.name);
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: names.dlq }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
    const attributes = {
      VisibilityTimeout: String(poolVisibilityTimeout(pool.timeoutSeconds)),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: String(maxAttempts(pool)) }),
    };
    let url: string;
    try {
      url = (await sqs.send(new CreateQueueCommand({ QueueName: names.queue, Attributes: attributes }))).QueueUrl!;
    } catch (error) {
      if ((error as Error).name !== 'QueueNameExists' && (error as Error).name !== 'QueueAlreadyExists') throw error;
      url = (await sqs.send(new GetQueueUrlCommand({ QueueName: names.queue }))).QueueUrl!;
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
    }
    queues[lane.name] = { url, dlqUrl: dlq.QueueUrl! };
  }
  return queues;
}

/** Hides (or, at 0, releases) up to 10 received messages for `seconds`. */
export function changeVisibility(sqs: SQSClient, queueUrl: string, messages: Message[], seconds: number) {
  return sqs.send(new ChangeMessageVisibilityBatchCommand({
    QueueUrl: queueUrl,
    Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: seconds })),
  }));
}

/** A received message as an SQS event source hands it to Lambda. */
export function toSqsRecord(m: Message, queueUrl: string, region: string): SQSRecord {
  const name = queueUrl.split('/').pop()!;
  const account = queueUrl.split('/').at(-2)!;
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body!,
    attributes: m.Attributes as never,
    messageAttributes: {},
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${region}:${account}:${name}`,
    awsRegion: region,
  };
}
