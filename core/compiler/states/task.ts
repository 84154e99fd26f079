import { NON_RETRIABLE_ERROR_NAMES } from '../../errors.ts';
import type { TaskDefinition } from '../../definition/model.ts';
import { transition, type Catcher, type PassState, type Retrier, type TaskState } from '../../asl/index.ts';
import { stateNames } from './names.ts';

/** Where a state sits: does it see the raw execution input, and what runs after it. */
export interface StatePosition {
  /** True when no task has run yet in this scope, so the state input is the execution input. */
  readonly first: boolean;
  /** The next state, or undefined at the end of the scope. */
  readonly next?: string;
}

export interface TaskStateOptions {
  readonly workflow: string;
  /** Resource placeholder, without `${}`. */
  readonly placeholder: string;
  /** Extra payload fields (the service invoker receives the service). */
  readonly extraPayload?: Record<string, unknown>;
}

/**
 * Errors whose Cause is plain text rather than a Lambda error envelope: caught apart from States.ALL,
 * whose Pass state parses the envelope (States.StringToJson on plain text would fail the execution).
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-error-representation
 */
const PLAIN_CAUSE_ERRORS = ['Lambda.Unknown', 'Lambda.ResourceNotReadyException', 'States.Permissions', 'States.HeartbeatTimeout'];

/**
 * Lambda service errors worth retrying, as AWS recommends:
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];


/**
 * The Task state of one task. The Resource is the function ARN itself, so the state's result is the
 * handler's return value. State data is the results object: the first task replaces the execution
 * input with `{ <task>: result }`, later tasks add `<task>` to it.
 */
export function taskState(task: TaskDefinition, stateName: string, position: StatePosition, options: TaskStateOptions): TaskState {
  return {
    Type: 'Task',
    ...(task.description !== undefined ? { Comment: task.description } : {}),
    Resource: `\${${options.placeholder}}`,
    Parameters: {
      task: task.name,
      workflow: options.workflow,
      'execution.$': '$$.Execution.Id',
      'attempt.$': '$$.State.RetryCount',
      'input.$': '$$.Execution.Input',
      ...(position.first ? { results: {} } : { 'results.$': '$' }),
      ...options.extraPayload,
    },
    ...(position.first ? { ResultSelector: { [`${task.name}.$`]: '$' } } : { ResultPath: `$.${task.name}` }),
    ...(task.timeoutSeconds !== undefined ? { TimeoutSeconds: task.timeoutSeconds } : {}),
    Retry: retriers(task),
    ...(task.onFailure.kind !== 'fail' ? { Catch: catchers(task, stateName, position.first) } : {}),
    ...transition(position.next),
  };
}

/**
 * Retry semantics: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * Retriers are tried in order, so the non-retriable one (MaxAttempts 0) must come first and
 * States.ALL last.
 */
function retriers(task: TaskDefinition): Retrier[] {
  const list: Retrier[] = [];
  // Errors that say "do not retry me" (a rejected request, a missing service) are matched by name.
  if (task.retries > 0) list.push({ ErrorEquals: [...NON_RETRIABLE_ERROR_NAMES], MaxAttempts: 0 });
  list.push({ ErrorEquals: LAMBDA_SERVICE_ERRORS, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 });
  if (task.retries > 0) {
    const { intervalSeconds, rate, maxDelaySeconds, jitter } = task.backoff;
    list.push({
      ErrorEquals: ['States.ALL'],
      IntervalSeconds: intervalSeconds,
      MaxAttempts: task.retries,
      BackoffRate: rate,
      ...(maxDelaySeconds !== undefined ? { MaxDelaySeconds: maxDelaySeconds } : {}),
      ...(jitter === 'full' ? { JitterStrategy: 'FULL' } : {}),
    });
  }
  return list;
}

/**
 * A task that may fail without failing the execution records `{ error, cause }` under its name.
 * Step Functions reports a Lambda error's cause as the JSON envelope `{errorType, errorMessage, trace}`,
 * so the message is taken out of it; timeouts and Lambda service errors carry no envelope.
 */
function catchers(task: TaskDefinition, stateName: string, first: boolean): Catcher[] {
  const resultPath = first ? '$' : `$.${task.name}`;
  return [
    { ErrorEquals: ['States.Timeout'], ResultPath: resultPath, Next: stateNames.timedOut(stateName) },
    { ErrorEquals: [...LAMBDA_SERVICE_ERRORS, ...PLAIN_CAUSE_ERRORS], ResultPath: resultPath, Next: stateNames.unavailable(stateName) },
    { ErrorEquals: ['States.ALL'], ResultPath: resultPath, Next: stateNames.caught(stateName) },
  ];
}

/** The Pass states behind a task's Catch; all lead to `after` (the fallback task or the task's next). */
export function failureStates(task: TaskDefinition, stateName: string, first: boolean, after?: string): Record<string, PassState> {
  const name = task.name;
  const error = first ? '$' : `$.${name}`;
  const recorded = (value: Record<string, unknown>) =>
    first ? { Parameters: { [name]: value } } : { Parameters: value, ResultPath: `$.${name}` };
  const timeoutCause = `task ${name} timed out${task.timeoutSeconds ? ` after ${task.timeoutSeconds}s` : ''}`;
  return {
    [stateNames.timedOut(stateName)]: {
      Type: 'Pass',
      ...(first ? { Result: { [name]: { error: 'States.Timeout', cause: timeoutCause } } } : { Result: { error: 'States.Timeout', cause: timeoutCause }, ResultPath: `$.${name}` }),
      ...transition(after),
    },
    [stateNames.unavailable(stateName)]: {
      Type: 'Pass',
      ...recorded({ 'error.$': `${error}.Error`, 'cause.$': `${error}.Cause` }),
      ...transition(after),
    },
    [stateNames.caught(stateName)]: {
      Type: 'Pass',
      ...recorded({ 'error.$': `${error}.Error`, 'cause.$': `States.StringToJson(${error}.Cause)` }),
      Next: stateNames.cause(stateName),
    },
    [stateNames.cause(stateName)]: {
      Type: 'Pass',
      Parameters: { 'error.$': `$.${name}.error`, 'cause.$': `$.${name}.cause.errorMessage` },
      ResultPath: `$.${name}`,
      ...transition(after),
    },
  };
}
