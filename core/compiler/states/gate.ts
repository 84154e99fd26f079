import { transition, type TaskState } from '../../asl/index.ts';
import { COORDINATOR_PLACEHOLDER } from '../plan.ts';
import { LAMBDA_SERVICE_RETRY } from './task.ts';

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
    Retry: [LAMBDA_SERVICE_RETRY],
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
    Retry: [LAMBDA_SERVICE_RETRY],
    End: true,
  };
}
