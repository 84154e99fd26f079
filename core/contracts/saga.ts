/**
 * Wire shapes of a saga's compensation path: what the compiled states send the saga function and get
 * back, and what a compensation handler receives. Declared once here for the compiler, the function
 * and handlers.
 */

/** The error a compensation that failed after its retries ends the execution with. */
export const COMPENSATION_FAILED = 'stepflow.CompensationFailed';

/** State-data key holding a task's completion record (`{ at }`: when the task completed). */
export const completionKey = (task: string) => `_saga_done_${task}`;
/** State-data key holding the failure (`{ Error, Cause }`) that started the compensations. */
export const FAILURE_KEY = '_saga_failed';

/** A task that may be compensated, with its place in the static order (ties in completion time break by it). */
export interface CompensableTask {
  readonly task: string;
  readonly order: number;
}

/** `action: order`: the state data at the failure, and the compensable tasks. */
export interface OrderRequest {
  readonly action: 'order';
  readonly execution: string;
  readonly data: Record<string, unknown>;
  readonly tasks: readonly CompensableTask[];
}

/** One compensation to run: its task, its stable id and the task's result. */
export interface PendingCompensation {
  readonly task: string;
  /** `<execution name>:<task>`: the same on every attempt, so a handler can make its effect happen once. */
  readonly id: string;
  readonly result: unknown;
}

export interface OrderResponse {
  readonly failure: { readonly Error: string; readonly Cause?: string };
  /** Most recently completed first. */
  readonly compensations: readonly PendingCompensation[];
}

/** What one compensation came to. */
export type CompensationOutcome =
  | { readonly task: string; readonly id: string; readonly outcome: 'compensated' }
  | { readonly task: string; readonly id: string; readonly outcome: 'failed'; readonly error: string; readonly cause?: string };

/** What one iteration of the compensation Map ends with: its Task state's result, or its Catch's record. */
export type RanCompensation =
  | { readonly task: string; readonly outcome: 'compensated' }
  | { readonly task: string; readonly outcome: 'failed'; readonly failure: { readonly Error?: string; readonly Cause?: string } };

/** `action: report`: the failure and the outcome of each compensation, in the order they ran. */
export interface ReportRequest {
  readonly action: 'report';
  readonly execution: string;
  readonly failure: OrderResponse['failure'];
  readonly compensations: readonly RanCompensation[];
}

/**
 * The saga's report, the output of its report state (listed with the execution's task states), and
 * the Error and Cause the execution fails with: the original ones, or COMPENSATION_FAILED with this
 * report as JSON when a compensation failed.
 */
export interface SagaReport {
  readonly error: string;
  readonly cause: string;
  readonly failure: OrderResponse['failure'];
  readonly compensations: readonly CompensationOutcome[];
}

/** The `compensation` field of the payload a compensation handler receives (beside the task event's fields). */
export interface CompensationPayload {
  readonly id: string;
  readonly result: unknown;
}
