/** What the API asks of the workflow engine; Step Functions in production (sfn-execution-runner.ts). */
export interface ExecutionRunner {
  /**
   * Starts an execution named `name`. `already-exists` when the engine has an execution of that name
   * (Step Functions' `ExecutionAlreadyExists`), which for a repeated start means it is running already.
   */
  start(request: StartRequest): Promise<{ readonly outcome: 'started' | 'already-exists'; readonly executionArn?: string }>;
  /** Asks the engine to stop a running execution; `not-found` when the engine has no such execution. */
  stop(executionArn: string, reason: StopReason): Promise<'stopping' | 'not-found'>;
  /**
   * Runs an Express execution to its end and returns how it ended (Step Functions' StartSyncExecution,
   * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html).
   */
  startSync(request: StartRequest): Promise<SyncOutcome>;
  /**
   * Redrives a failed, timed-out or aborted Standard execution from its failed states on
   * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html).
   * `not-found` when the engine has no such execution; `not-redrivable` when it refuses
   * (ExecutionNotRedrivable: still running, succeeded, older than 14 days, or an Express execution);
   * `not-supported` when the endpoint does not implement RedriveExecution (the offline engine cannot
   * resume an execution from its failed state).
   */
  redrive(executionArn: string): Promise<RedriveOutcome>;
}

export type RedriveOutcome =
  | { readonly outcome: 'redriven'; readonly redriveDate: Date }
  | { readonly outcome: 'not-found' | 'not-redrivable' | 'not-supported'; readonly message: string };

/** How a synchronous Express execution ended. Input and output are JSON text. */
export interface SyncOutcome {
  /** The Express form: `arn:<partition>:states:<region>:<account>:express:<machine>:<name>:<id>`. */
  readonly executionArn: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  readonly startDate: Date;
  readonly stopDate: Date;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface StopReason {
  readonly error: string;
  readonly cause: string;
}

export interface StartRequest {
  readonly stateMachineArn: string;
  readonly name: string;
  /** The execution input as JSON text. */
  readonly input: string;
}

/**
 * The ARN Step Functions gives a Standard execution of `name`, known before it starts
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html):
 * `arn:aws:states:<region>:<account>:stateMachine:<machine>` → `...:execution:<machine>:<name>`.
 * Express executions are `...:express:<machine>:<name>:<id>` with an id Step Functions picks on start
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html), so for them
 * this is the prefix of the ARN until the start returns the real one.
 */
export function executionArnFor(stateMachineArn: string, name: string, mode: 'STANDARD' | 'EXPRESS' = 'STANDARD'): string {
  return `${stateMachineArn.replace(':stateMachine:', mode === 'EXPRESS' ? ':express:' : ':execution:')}:${name}`;
}

/**
 * Longest TimeoutSeconds of an Express workflow the API awaits with StartSyncExecution: API Gateway
 * ends every integration at 29 s (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html),
 * and the API handler still has to record the result afterwards.
 */
export const MAX_SYNC_SECONDS = 25;

/** Whether an execution of this workflow can be run to its end within one API call. */
export function runsSynchronously(workflow: { readonly mode: 'STANDARD' | 'EXPRESS'; readonly timeoutSeconds?: number }): boolean {
  return workflow.mode === 'EXPRESS' && workflow.timeoutSeconds !== undefined && workflow.timeoutSeconds <= MAX_SYNC_SECONDS;
}
