import { ExecutionAbortedError, ExecutionError, type RunOptions } from 'aws-local-stepfunctions';
import type { Clock } from '../clock.ts';
import { applyContextBindings } from './context-bindings.ts';
import type { ExecutionDescription, StopOptions } from './execution.ts';
import type { TaskCall } from './task-invoker.ts';
import type { TaskTokenTable } from './task-tokens.ts';
import type { RunnableWorkflow } from './workflow.ts';

/** How an execution ended. */
export type Outcome = Pick<ExecutionDescription, 'status' | 'output' | 'error' | 'cause'>;

export interface ExecutionRun {
  readonly abort: () => void;
  /** Settles once the run has ended, never rejects. */
  readonly outcome: Promise<Outcome>;
}

export interface ExecutionRunDeps {
  readonly clock: Clock;
  readonly invoke: (call: TaskCall) => Promise<unknown>;
  /** Hands out the tokens of `.waitForTaskToken` states. */
  readonly tokens: TaskTokenTable;
  /** Error and cause given to StopExecution, read when the run ends aborted. */
  readonly stopReason: () => StopOptions | undefined;
  /**
   * Whether an attempt's outcome is already recorded (a resumed execution replaying its journal): the
   * retry wait before such an attempt is skipped, it having been waited before. @default none is
   */
  readonly isRecorded?: (state: string, attempt: number) => boolean;
}

/**
 * Runs one execution of a workflow on its StateMachine, every Task state overridden by an in-process call
 * that receives the true Context Object values (see context-bindings.ts).
 */
export function runExecution(workflow: RunnableWorkflow, description: ExecutionDescription, input: unknown, deps: ExecutionRunDeps): ExecutionRun {
  const { executionArn: arn, name, startDate } = description;
  const execution = {
    Id: arn,
    Name: name,
    RoleArn: `arn:aws:iam::000000000000:role/stepflow-local`,
    StartTime: startDate.toISOString(),
    RedriveCount: description.redriveCount ?? 0,
  };
  const stateMachine = { Id: workflow.stateMachineArn, Name: workflow.name };
  // The library copies this context as is: `$$.State` and `$$.Task` must exist for paths like
  // $$.State.RetryCount and $$.Task.Token to resolve; the true values are put in by applyContextBindings.
  const context = {
    Execution: execution,
    StateMachine: stateMachine,
    // Read as each state runs (the library keeps this object): a Pass state's $$.State.EnteredTime is
    // when it was entered, as on AWS, so a saga's completion records order its tasks.
    State: {
      Name: '',
      get EnteredTime() {
        return new Date(deps.clock.now()).toISOString();
      },
      RetryCount: 0,
    },
    Task: { Token: '' },
  };
  const attempts = new Map<string, number>();
  const handlers = Object.fromEntries(
    [...workflow.tasks.values()].map((task) => [
      task.stateName,
      (stateInput: unknown) => {
        const key = attemptKey(task.stateName, stateInput);
        const attempt = attempts.get(key) ?? 0;
        attempts.set(key, attempt + 1);
        // Each attempt of a `.waitForTaskToken` state gets a token of its own, as on AWS.
        const token = task.waitForToken ? deps.tokens.create(arn) : undefined;
        const trueContext = {
          Execution: { ...execution, Input: input },
          StateMachine: stateMachine,
          State: { Name: task.stateName, EnteredTime: new Date(deps.clock.now()).toISOString(), RetryCount: attempt },
          ...(token ? { Task: { Token: token.token } } : {}),
        };
        const event = applyContextBindings(stateInput, task.bindings, trueContext);
        return deps.invoke({ task, workflow: workflow.name, executionArn: arn, attempt, event, stateInput, token });
      },
    ]),
  );
  // Read by the library at each retry: no wait before an attempt that is only replayed.
  const retryIntervalOverrides = new Proxy(workflow.retryIntervalOverrides, {
    get: (overrides, state) => {
      if (typeof state !== 'string') return undefined;
      return deps.isRecorded?.(state, attempts.get(state) ?? 0) ? 0 : overrides[state];
    },
  });
  const options: RunOptions = {
    overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides },
    context,
  };
  const run = workflow.machine.run(input as never, options);
  // The workflow's TimeoutSeconds runs on the engine's clock from the start date, or from the last redrive
  // (a TIMED_OUT execution can be redriven, so its time starts again); a resumed execution has used part
  // of it. Past it, the run is aborted and ends TIMED_OUT.
  const timerStart = (description.redriveDate ?? startDate).getTime();
  let timedOut = false;
  const timer = workflow.timeoutSeconds === undefined
    ? undefined
    : deps.clock.setTimeout(() => {
      timedOut = true;
      run.abort();
    }, Math.max(0, timerStart + workflow.timeoutSeconds * 1000 - deps.clock.now()));
  const outcome = run.result
    .then(
      (output): Outcome => ({ status: 'SUCCEEDED', output: JSON.stringify(output) }),
      (error: unknown) => (timedOut ? timedOutOutcome(workflow) : outcomeOf(error, deps.stopReason())),
    )
    .finally(() => {
      deps.clock.clearTimeout(timer);
      deps.tokens.endExecution(arn);
    });
  return { abort: run.abort, outcome };
}

function timedOutOutcome(workflow: RunnableWorkflow): Outcome {
  return { status: 'TIMED_OUT', error: 'States.Timeout', cause: `execution exceeded TimeoutSeconds (${workflow.timeoutSeconds}s)` };
}

function outcomeOf(error: unknown, stopReason: StopOptions | undefined): Outcome {
  if (error instanceof ExecutionAbortedError) {
    return { status: 'ABORTED', error: stopReason?.error, cause: stopReason?.cause };
  }
  if (error instanceof ExecutionError && error.cause instanceof Error) {
    const failure = error.cause as Error & { cause?: unknown };
    const cause = failure.cause ?? failure.message;
    return { status: 'FAILED', error: failure.name, cause: typeof cause === 'string' ? cause : JSON.stringify(cause) };
  }
  return { status: 'FAILED', error: 'States.Runtime', cause: error instanceof Error ? error.message : String(error) };
}

/**
 * Attempts are counted per state, and per item in a fan-out's iterations (their input carries the item's
 * `index`): each item's first attempt is attempt 0, as `$$.State.RetryCount` is on AWS.
 */
function attemptKey(stateName: string, stateInput: unknown): string {
  const index = (stateInput as { index?: unknown } | null)?.index;
  return typeof index === 'number' && stateName.endsWith('.item') ? `${stateName}#${index}` : stateName;
}
