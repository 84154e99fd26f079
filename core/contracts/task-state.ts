export type TaskStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';

/** One Task state of an execution, as its history tells it (`tasks` of `GET …/executions/{id}`). */
export interface TaskState {
  readonly name: string;
  readonly status: TaskStatus;
  /** Invocations so far (1 + retries). */
  readonly attempts: number;
  readonly startDate: string;
  readonly stopDate: string | null;
  readonly input: unknown;
  readonly output: unknown;
  readonly error: string | null;
  readonly cause: string | null;
}
