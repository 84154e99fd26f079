import type { ExecutionStatus } from './execution-status.ts';
import type { TaskState } from './task-state.ts';

/** An execution as `GET /workflows/{name}/executions/{id}` answers it. */
export interface ExecutionView {
  readonly executionId: string;
  readonly workflow: string;
  readonly status: ExecutionStatus;
  readonly input: unknown;
  readonly output: unknown;
  readonly error: string | null;
  /** The error's message (Step Functions' Lambda error envelope unwrapped). */
  readonly cause: string | null;
  readonly startDate: string;
  readonly stopDate: string | null;
  /** How many times the execution was redriven. */
  readonly redriveCount: number;
  /** Its Task states, from the execution's history; absent where the API cannot read histories. */
  readonly tasks?: readonly TaskState[];
}
