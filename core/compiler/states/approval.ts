import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transition, type AslState, type Catcher, type TaskState } from '../../asl/index.ts';
import { FAILURE_KEY } from '../../contracts/saga.ts';
import { APPROVAL_REJECTED, type ApprovalExpiry, type ApprovalRequest } from '../../contracts/approvals.ts';
import type { TaskDefinition } from '../../definition/model.ts';
import type { TaskFunctionPlan, TaskStatePlan } from '../plan.ts';
import { WAIT_FOR_TOKEN_RESOURCE } from './gate.ts';
import { stateNames } from './names.ts';
import { sagaCatcher } from './saga.ts';
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
 * stepflow.ApprovalRejected and the reason `expired` — or, inside a saga, hands that failure to the
 * compensation path as a caught rejection would be, or, with on_failure, records it and goes on.
 */
export interface ApprovalFailureRoute {
  /** Inside a saga: where a rejection or an expiry goes (the compensation path, or the end of its branch). */
  readonly sagaExit?: string;
  /**
   * `on_failure: continue` or a fallback: a rejection is caught into the task's failure states
   * (`failureStateNames(...).caught`, recording `{ error, cause }`), and an expiry records
   * `{ error: stepflow.ApprovalRejected, cause: expired }` under the task's name; both then go to `after`.
   */
  readonly recover?: { readonly caught: string; readonly after?: string };
}

export function approvalStates(task: TaskDefinition, position: StatePosition, workflow: string, route: ApprovalFailureRoute = {}): { states: Record<string, AslState>; taskStates: Record<string, TaskStatePlan> } {
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
    Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: expired }, ...rejectionCatchers(task, position, route)],
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
    [rejected]: expiredAs(task, position, route),
  };
  return {
    states,
    taskStates: {
      [task.name]: { task: task.name, kind: 'function', placeholder: APPROVALS_PLACEHOLDER },
      [expired]: { task: task.name, kind: 'function', placeholder: APPROVALS_PLACEHOLDER },
    },
  };
}

/** What catches a rejection (SendTaskFailure): the task's failure states, or the saga's path. */
function rejectionCatchers(task: TaskDefinition, position: StatePosition, route: ApprovalFailureRoute): Catcher[] {
  if (route.recover) return [{ ErrorEquals: ['States.ALL'], ResultPath: replacesInput(position) ? '$' : `$.${task.name}`, Next: route.recover.caught }];
  if (route.sagaExit) return [sagaCatcher(route.sagaExit)];
  return [];
}

/**
 * After an expiry is recorded: a Fail state; inside a saga, the failure where a saga catcher puts it
 * (`$._saga_failed`, `{ Error, Cause }`) and on to the compensation path; with on_failure, the failure
 * recorded as a caught one would be.
 */
function expiredAs(task: TaskDefinition, position: StatePosition, route: ApprovalFailureRoute): AslState {
  const failure = { error: APPROVAL_REJECTED, cause: 'expired' };
  if (route.recover) {
    return replacesInput(position)
      ? { Type: 'Pass', Result: { [task.name]: failure }, ...transition(route.recover.after) }
      : { Type: 'Pass', Result: failure, ResultPath: `$.${task.name}`, ...transition(route.recover.after) };
  }
  if (route.sagaExit) return { Type: 'Pass', Result: { Error: APPROVAL_REJECTED, Cause: 'expired' }, ResultPath: `$.${FAILURE_KEY}`, Next: route.sagaExit };
  return { Type: 'Fail', Error: APPROVAL_REJECTED, Cause: 'expired' };
}
