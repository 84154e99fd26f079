import type { ExecutionStatus } from '../../core/contracts/execution-status.ts';

/** What a listing shows of an execution. */
export interface ExecutionSummary {
  readonly workflow: string;
  /** The Step Functions execution name. */
  readonly executionId: string;
  readonly status: ExecutionStatus;
  /** ISO 8601. */
  readonly startDate: string;
  readonly stopDate?: string;
  readonly error?: string;
}

export interface ExecutionRecord extends ExecutionSummary {
  readonly executionArn: string;
  readonly input?: unknown;
  readonly output?: unknown;
  /** True when the output was too large to keep next to the input (DescribeExecution has it). */
  readonly outputTruncated?: boolean;
  /** The raw Cause as Step Functions reported it. */
  readonly cause?: string;
  /** SHA-256 of the canonical input, for idempotent starts; absent for executions started elsewhere. */
  readonly inputHash?: string;
  /** How many times the execution was redriven; 0 until then. */
  readonly redriveCount: number;
}

/** An execution the API is about to start. */
export interface NewExecution {
  readonly workflow: string;
  readonly executionId: string;
  readonly executionArn: string;
  readonly input: unknown;
  readonly inputHash: string;
  /** ISO 8601. */
  readonly startDate: string;
}

export type CreateResult =
  | { readonly created: true; readonly record: ExecutionRecord }
  | { readonly created: false; readonly existing: ExecutionRecord };

/** A status change as Step Functions emits it (one EventBridge event). */
export interface StatusChange {
  readonly workflow: string;
  readonly executionId: string;
  readonly executionArn: string;
  readonly status: ExecutionStatus;
  readonly startDate: string;
  readonly stopDate?: string;
  /** Execution input as JSON text, when the event carries it. */
  readonly input?: string;
  /** Execution output as JSON text, when the event carries it. */
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  /** @default 0 */
  readonly redriveCount?: number;
}

export interface ListOptions {
  readonly status?: ExecutionStatus;
  /** @default 20 */
  readonly limit?: number;
  /** Opaque token from the previous page. */
  readonly nextToken?: string;
}

export interface ExecutionPage {
  readonly items: readonly ExecutionSummary[];
  readonly nextToken?: string;
}

/**
 * Where executions are recorded. Built on conditional single-item writes only (no transactions), at
 * most three writes per execution: `create` by the API, then `recordStatus` for RUNNING and for the
 * terminal status.
 */
export interface ExecutionStore {
  /** Records a new RUNNING execution unless one with this id exists; then returns the existing one. */
  create(execution: NewExecution): Promise<CreateResult>;
  /**
   * Applies a status change, creating the record when the execution was started elsewhere (e.g. by an
   * EventBridge trigger). A change never overrides a later one: a terminal status is never moved back
   * to RUNNING, unless the execution was redriven (a higher redrive count). Returns whether it applied.
   */
  recordStatus(change: StatusChange): Promise<boolean>;
  /** Sets the ARN Step Functions gave the execution on start (Express ARNs end in an id it picks). */
  recordArn(workflow: string, executionId: string, executionArn: string): Promise<void>;
  /** Removes a record `create` made whose execution never started (its start failed). */
  discard(workflow: string, executionId: string): Promise<void>;
  get(workflow: string, executionId: string): Promise<ExecutionRecord | undefined>;
  /** Newest first. A token that this store did not hand out for this query is a BadRequest. */
  list(workflow: string, options?: ListOptions): Promise<ExecutionPage>;
}
