import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transition, type AslState, type Catcher, type TaskState } from '../../asl/index.ts';
import { APPROVAL_REJECTED, type ApprovalExpiry, type ApprovalRequest } from '../../contracts/approvals.ts';
import type { TaskDefinition } from '../../definition/model.ts';
import type { TaskFunctionPlan, TaskStatePlan } from '../plan.ts';
import { WAIT_FOR_TOKEN_RESOURCE } from './gate.ts';
import { stateNames } from './names.ts';
import { LAMBDA_SERVICE_RETRY, replacesInput, type StatePosition } from './task.ts';

/** The approvals function (`functions/approvals/handler.ts`): `.ts` beside the sources, `.js` in the built package. */
export const APPROVALS_FUNCTION_ID = 'stepflow_approvals';
export const APPROVALS_PLACEHOLDER = `TaskFunction_${APPROVALS_FUNCTION_ID}`;
const APPROVALS_TIMEOUT_SECONDS = 10;

export function approvalsFunction(): TaskFunctionPlan {
  return {
    placeholder: APPROVALS_PLACEHOLDER,
    id: APPROVALS_FUNCTION_ID,
    handler: { file: fileURLToPath(new URL(`../../../functions/approvals/handler${extname(import.meta.url)}`, import.meta.url)), exportName: 'handler' },
    timeoutSeconds: APPROVALS_TIMEOUT_SECONDS,
    memoryMb: 256,
    tasks: [],
  };
}

export const hasApprovals = (tasks: readonly TaskDefinition[]): boolean => tasks.some((t) => t.type === 'approval');

/**
 * An approval task: a `.waitForTaskToken` state that invokes the approvals function, which records the
 * pending approval with the token; the state then waits until POST /approvals/{id} sends SendTaskSuccess
 * (`{ decision, reason, approvedBy }` becomes the task's result) or SendTaskFailure (stepflow.ApprovalRejected).
 * Its TimeoutSeconds is `expires`: past it Step Functions fails it with States.Timeout
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html), which a Catch turns into a
 * rejection: `<task>.expired` marks the record expired, and `<task>.rejected` fails the execution with
 * stepflow.ApprovalRejected and the reason `expired`.
 */
export function approvalStates(task: TaskDefinition, position: StatePosition, workflow: string, catchers: readonly Catcher[] = []): { states: Record<string, AslState>; taskStates: Record<string, TaskStatePlan> } {
  const approval = task.approval!;
  const expired = stateNames.approvalExpired(task.name);
  const rejected = stateNames.approvalRejected(task.name);
  const request: Omit<ApprovalRequest, 'token' | 'executionArn' | 'requestedAt'> & Record<string, unknown> = {
    action: 'request',
    workflow,
    task: task.name,
    ...(approval.approvers !== undefined ? { approvers: approval.approvers } : {}),
    expiresSeconds: approval.expiresSeconds,
    'token.$': '$$.Task.Token',
    'executionArn.$': '$$.Execution.Id',
    'requestedAt.$': '$$.State.EnteredTime',
  };
  const wait: TaskState = {
    Type: 'Task',
    ...(task.description !== undefined ? { Comment: task.description } : {}),
    Resource: WAIT_FOR_TOKEN_RESOURCE,
    Parameters: { FunctionName: `\${${APPROVALS_PLACEHOLDER}}`, Payload: request },
    ...(position.isolated ? { InputPath: '$.results' } : {}),
    ...(replacesInput(position) ? { ResultSelector: { [`${task.name}.$`]: '$' } } : { ResultPath: `$.${task.name}` }),
    TimeoutSeconds: approval.expiresSeconds,
    Retry: [LAMBDA_SERVICE_RETRY],
    Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: expired }, ...catchers],
    ...transition(position.next),
  };
  const expiry: Omit<ApprovalExpiry, 'executionArn'> & Record<string, unknown> = { action: 'expire', workflow, task: task.name, 'executionArn.$': '$$.Execution.Id' };
  const states: Record<string, AslState> = {
    [task.name]: wait,
    [expired]: {
      Type: 'Task',
      Resource: `\${${APPROVALS_PLACEHOLDER}}`,
      Parameters: expiry,
      ResultPath: null,
      TimeoutSeconds: APPROVALS_TIMEOUT_SECONDS,
      Retry: [LAMBDA_SERVICE_RETRY],
      Next: rejected,
    },
    [rejected]: { Type: 'Fail', Error: APPROVAL_REJECTED, Cause: 'expired' },
  };
  return {
    states,
    taskStates: {
      [task.name]: { task: task.name, kind: 'function', placeholder: APPROVALS_PLACEHOLDER },
      [expired]: { task: task.name, kind: 'function', placeholder: APPROVALS_PLACEHOLDER },
    },
  };
}
