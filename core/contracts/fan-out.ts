/**
 * Wire shapes of a fan-out stage with tolerated_failure_percentage: what a failed item leaves in the
 * Map's result, what the compiled check state sends the pipeline function, and the stage's result.
 */

/** The error a fan-out stage fails with when more items failed than it tolerates. */
export const TOLERATED_FAILURE_EXCEEDED = 'stepflow.ToleratedFailureExceeded';

/** Key of the record a failed item leaves in place of its result: `{ [ITEM_FAILURE_KEY]: { error, cause } }`. */
export const ITEM_FAILURE_KEY = '_stepflow_item_failed';

/** `action: tolerance`: the Map's results and the share of failures the stage tolerates. */
export interface ToleranceRequest {
  readonly action: 'tolerance';
  readonly stage: string;
  /** 0-100. */
  readonly tolerance: number;
  readonly items: readonly unknown[];
}

export interface ItemFailure {
  readonly index: number;
  readonly error: string;
  readonly cause?: string;
}

/** A tolerant fan-out stage's result: item results in order (null where an item failed), and the failures. */
export interface ToleratedResult {
  readonly items: readonly unknown[];
  readonly failures: readonly ItemFailure[];
  readonly failed: number;
  readonly total: number;
}
