import { transition, type TaskState } from '../../asl/index.ts';
import { NON_RETRIABLE_ERROR_NAMES } from '../../errors.ts';
import type { Retrier } from '../../asl/index.ts';
import { COORDINATOR_PLACEHOLDER } from '../plan.ts';
import { LAMBDA_SERVICE_RETRY } from './task.ts';

/**
 * The coordinator's calls are idempotent, so any failure but a malformed request (NonRetriableError)
 * is retried: a conflict it could not resolve, a throttled DynamoDB or Step Functions call.
 */
export const COORDINATOR_RETRY: readonly Retrier[] = [
  { ErrorEquals: [...NON_RETRIABLE_ERROR_NAMES], MaxAttempts: 0 },
  LAMBDA_SERVICE_RETRY,
  { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 2, JitterStrategy: 'FULL' },
];

/**
 * Invokes a Lambda and waits until someone calls SendTaskSuccess (or SendTaskFailure) with the token
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token).
 * Standard workflows only.
 */
export const WAIT_FOR_TOKEN_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

export interface GateProps {
  readonly workflow: string;
  readonly task: string;
  readonly needs: readonly string[];
  readonly rank: number;
  readonly limit?: number;
  readonly next: string;
}

/**
 * Waits until the coordinator releases the task (its dependencies have reported, and a slot is free).
 * The release's output, the merged results of what the task needs, becomes the state data.
 */
export function gateState(props: GateProps): TaskState {
  return {
    Type: 'Task',
    Resource: WAIT_FOR_TOKEN_RESOURCE,
    Parameters: {
      FunctionName: `\${${COORDINATOR_PLACEHOLDER}}`,
      Payload: {
        action: 'wait',
        workflow: props.workflow,
        'execution.$': '$$.Execution.Id',
        task: props.task,
        needs: props.needs,
        rank: props.rank,
        ...(props.limit !== undefined ? { limit: props.limit } : {}),
        'token.$': '$$.Task.Token',
      },
    },
    Retry: COORDINATOR_RETRY,
    ...transition(props.next),
  };
}

/** Reports the task's output to the coordinator, which releases what waited for it; keeps the state data. */
export function doneState(props: { readonly workflow: string; readonly task: string; readonly keys: readonly string[] }): TaskState {
  return {
    Type: 'Task',
    Resource: `\${${COORDINATOR_PLACEHOLDER}}`,
    Parameters: {
      action: 'done',
      workflow: props.workflow,
      'execution.$': '$$.Execution.Id',
      task: props.task,
      keys: props.keys,
      'output.$': '$',
    },
    ResultPath: null,
    Retry: COORDINATOR_RETRY,
    End: true,
  };
}
