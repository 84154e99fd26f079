import type { InputOutputFields, StateBase } from './fields.ts';
import type { Transition } from './transition.ts';

/**
 * Waits for a time, or until a time; exactly one of the four fields is set.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
 */
export interface WaitStateFields extends StateBase, InputOutputFields {
  readonly Type: 'Wait';
  readonly Seconds?: number;
  /** ISO 8601 timestamp, e.g. `2026-03-14T01:59:00Z`. */
  readonly Timestamp?: string;
  readonly SecondsPath?: string;
  readonly TimestampPath?: string;
}

export type WaitState = WaitStateFields & Transition;
