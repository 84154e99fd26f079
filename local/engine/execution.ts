import type { ExecutionStatus } from '../../core/contracts/execution-status.ts';

/** One execution as DescribeExecution reports it; input and output are JSON text, as on AWS. */
export interface ExecutionDescription {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly workflow: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly input: string;
  readonly output?: string;
  readonly error?: string;
  /** Raw, as Step Functions gives it (for a Lambda error, the JSON envelope). */
  readonly cause?: string;
  readonly startDate: Date;
  readonly stopDate?: Date;
  /** Times RedriveExecution has run it again; absent until it has been redriven. */
  readonly redriveCount?: number;
  /** When it was last redriven. */
  readonly redriveDate?: Date;
}

export interface StopOptions {
  readonly error?: string;
  readonly cause?: string;
}

export interface ListOptions {
  readonly workflow?: string;
  readonly status?: ExecutionStatus;
}

/** Progress of the Task states of an execution, for people watching it run (e.g. the CLI). */
export type ProgressEvent =
  | (TaskProgress & { readonly type: 'taskStarted' })
  | (TaskProgress & { readonly type: 'taskSucceeded'; readonly durationMs: number })
  | (TaskProgress & { readonly type: 'taskFailed'; readonly durationMs: number; readonly error: string; readonly cause: string });

export interface TaskProgress {
  readonly executionArn: string;
  readonly workflow: string;
  /** State name (for compiled workflows, the task name or a fallback state). */
  readonly state: string;
  readonly task: string;
  /** 0 on the first attempt. */
  readonly attempt: number;
}
