/** What the API asks of the workflow engine; Step Functions in production (sfn-execution-runner.ts). */
export interface ExecutionRunner {
  /**
   * Starts an execution named `name`. `already-exists` when the engine has an execution of that name
   * (Step Functions' `ExecutionAlreadyExists`), which for a repeated start means it is running already.
   */
  start(request: StartRequest): Promise<{ readonly outcome: 'started' | 'already-exists'; readonly executionArn?: string }>;
  /** Asks the engine to stop a running execution; `not-found` when the engine has no such execution. */
  stop(executionArn: string, reason: StopReason): Promise<'stopping' | 'not-found'>;
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
 * Express executions get an extra id on start, and this ARN only names them.
 */
export function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
