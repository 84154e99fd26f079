/**
 * AWS limits a pool must fit, declared once (definition checks, the CDK construct and the offline pool read them).
 */

/**
 * An SQS event source's MaximumConcurrency is 2 to 1000
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html#events-sqs-max-concurrency).
 */
export const MIN_EVENT_SOURCE_CONCURRENCY = 2;
export const MAX_EVENT_SOURCE_CONCURRENCY = 1000;

/** A standard queue's batch without a batching window holds at most 10 messages. */
export const MAX_BATCH_SIZE = 10;

/**
 * AWS recommends a queue visibility timeout of at least six times the function timeout
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-queueconfig).
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** Longest visibility timeout SQS accepts: 12 hours (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html). */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

/** A redrive policy's maxReceiveCount is 1 to 1000 (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html). */
export const MAX_RECEIVE_COUNT = 1000;

/** SQS DelaySeconds is 0 to 900 (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html). */
export const MAX_DELAY_SECONDS = 900;

/** Visibility timeout of a pool's queues: six job timeouts. */
export function poolVisibilityTimeout(jobTimeoutSeconds: number): number {
  return Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, VISIBILITY_TIMEOUT_FACTOR * jobTimeoutSeconds);
}
