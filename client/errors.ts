/** An error answer of the stepflow API: `{ error: { code, message, details? } }` with its HTTP status. */
export class StepflowApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'StepflowApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** `wait` gave up before the execution finished; the execution goes on. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly workflow: string,
    readonly executionId: string,
    readonly lastStatus: string,
  ) {
    super(`execution "${executionId}" of workflow "${workflow}" is still ${lastStatus}`);
    this.name = 'WaitTimeoutError';
  }
}

/** A task graph handed to a Sequential/ParallelWorkflowEngine is not runnable; every problem is listed. */
export class WorkflowGraphError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid task graph:\n- ${problems.join('\n- ')}`);
    this.name = 'WorkflowGraphError';
  }
}
