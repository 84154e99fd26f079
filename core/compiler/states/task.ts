import { NON_RETRIABLE_ERROR_NAMES } from '../../errors.ts';
import type { TaskDefinition } from '../../definition/model.ts';
import { transition, type Catcher, type Retrier, type TaskState } from '../../asl/index.ts';

/** Where a state sits: what its input is, and what runs after it. */
export interface StatePosition {
  /** True when no task has run yet in this scope, so the state input is the execution input. */
  readonly first: boolean;
  /** The next state, or undefined at the end of the scope. */
  readonly next?: string;
  /**
   * A Map iteration: the state input is `{ task, results }`, and the state's output is only its own
   * `{ <task>: result }` (the Map puts the iterations' results together).
   */
  readonly isolated?: boolean;
}

/** True when the state's output is `{ <task>: … }` alone rather than the results object with `<task>` added. */
export const replacesInput = (position: StatePosition): boolean => position.first || position.isolated === true;

export interface TaskStateOptions {
  readonly workflow: string;
  /** Resource placeholder, without `${}`. */
  readonly placeholder: string;
  /** Extra payload fields (the service invoker receives the service). */
  readonly extraPayload?: Record<string, unknown>;
  /** TaskState TimeoutSeconds. */
  readonly timeoutSeconds: number;
  /** Where the result goes instead of `$.<task>` (a shared fallback writes into the failed task's record). */
  readonly resultPath?: string;
  /** The name of the first failure state (`failureStateNames(...).caught`), when the task may fail without failing the execution. */
  readonly catchTo?: { readonly timedOut: string; readonly caught: string };
}

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

/** The retrier every Lambda-backed Task state starts with (after the non-retriable one). */
export const LAMBDA_SERVICE_RETRY: Retrier = { ErrorEquals: LAMBDA_SERVICE_ERRORS, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 };

/**
 * The Task state of one task. The Resource is the function ARN itself, so the state's result is the
 * handler's return value. State data is the results object: the first task replaces the execution
 * input with `{ <task>: result }`, later tasks add `<task>` to it. In a Map iteration the task reads
 * the results from `$.results` and its output is `{ <task>: result }`.
 */
export function taskState(task: TaskDefinition, position: StatePosition, options: TaskStateOptions): TaskState {
  const replaces = replacesInput(position);
  return {
    Type: 'Task',
    ...(task.description !== undefined ? { Comment: task.description } : {}),
    Resource: `\${${options.placeholder}}`,
    ...(position.isolated ? { InputPath: '$.results' } : {}),
    Parameters: {
      task: task.name,
      workflow: options.workflow,
      'execution.$': '$$.Execution.Id',
      'attempt.$': '$$.State.RetryCount',
      'input.$': '$$.Execution.Input',
      ...(position.first && !position.isolated ? { results: {} } : { 'results.$': '$' }),
      ...options.extraPayload,
    },
    ...(replaces ? { ResultSelector: { [`${task.name}.$`]: '$' } } : { ResultPath: options.resultPath ?? `$.${task.name}` }),
    TimeoutSeconds: options.timeoutSeconds,
    Retry: retriers(task),
    ...(options.catchTo ? { Catch: catchers(task, replaces, options.catchTo) } : {}),
    ...transition(position.next),
  };
}

/**
 * Retry semantics: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * Retriers are tried in order, so the non-retriable one (MaxAttempts 0) must come first and
 * States.ALL last.
 */
export function retriers(task: Pick<TaskDefinition, 'retries' | 'backoff'>): Retrier[] {
  const list: Retrier[] = [];
  // Errors that say "do not retry me" (a rejected request, a missing service) are matched by name.
  if (task.retries > 0) list.push({ ErrorEquals: [...NON_RETRIABLE_ERROR_NAMES], MaxAttempts: 0 });
  list.push(LAMBDA_SERVICE_RETRY);
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
 * States.Timeout carries no useful cause; every other error goes to one Choice that reads its Cause
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-fallback-states).
 */
function catchers(task: TaskDefinition, replaces: boolean, to: NonNullable<TaskStateOptions['catchTo']>): Catcher[] {
  const resultPath = replaces ? '$' : `$.${task.name}`;
  return [
    { ErrorEquals: ['States.Timeout'], ResultPath: resultPath, Next: to.timedOut },
    { ErrorEquals: ['States.ALL'], ResultPath: resultPath, Next: to.caught },
  ];
}
