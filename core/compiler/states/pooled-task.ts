import type { TaskDefinition } from '../../definition/model.ts';
import type { TaskState } from '../../asl/index.ts';
import { LAMBDA_SERVICE_ERRORS, taskState, type StatePosition, type TaskStateOptions } from './task.ts';

/**
 * Step Functions sends the message and waits until someone answers with the task token
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token).
 */
export const SQS_SEND_AND_WAIT = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';

/**
 * A task run as a job of its pool: the same state as a Lambda task (retries, catchers, results), but the
 * Resource sends a `PoolJobMessage` to the lane's queue and waits for the worker's SendTaskSuccess or
 * SendTaskFailure. The job's payload is the task event a Lambda task would receive. Step Functions turns
 * an object MessageBody into its JSON text.
 */
export function pooledTaskState(task: TaskDefinition, position: StatePosition, options: TaskStateOptions): TaskState {
  const { pool, lane } = task.pool!;
  const lambdaState = taskState(task, position, options);
  const { Resource: queueUrl, Parameters: payload, Retry, ...rest } = lambdaState;
  // Lambda's service errors cannot happen here: SQS's own are retried by Step Functions' SDK integration.
  const retry = (Retry ?? []).filter((r) => r.ErrorEquals !== LAMBDA_SERVICE_ERRORS);
  return {
    ...rest,
    ...(retry.length ? { Retry: retry } : {}),
    // No HeartbeatSeconds: a job still queued has no worker to beat for it (see core/definition/pool-heartbeat.ts).
    Resource: SQS_SEND_AND_WAIT,
    Parameters: {
      QueueUrl: queueUrl,
      MessageBody: { pool, lane, 'taskToken.$': '$$.Task.Token', payload },
    },
  } as TaskState;
}
