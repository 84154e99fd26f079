import type { Catcher } from './catcher.ts';
import type { InputOutputFields, ResultFields, StateBase } from './fields.ts';
import type { Retrier } from './retrier.ts';
import type { Transition } from './transition.ts';

/**
 * Runs one unit of work; for stepflow, a Lambda function whose ARN is the Resource (in the plan, a
 * `${Placeholder}` the backend fills).
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 */
export interface TaskStateFields extends StateBase, InputOutputFields, ResultFields {
  readonly Type: 'Task';
  readonly Resource: string;
  /** Seconds the task may run before failing with States.Timeout. @default none (only the resource's own limit) */
  readonly TimeoutSeconds?: number;
  readonly TimeoutSecondsPath?: string;
  /** Seconds between heartbeats before States.HeartbeatTimeout. @default none */
  readonly HeartbeatSeconds?: number;
  readonly HeartbeatSecondsPath?: string;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

export type TaskState = TaskStateFields & Transition;
