import type { StateBase } from './fields.ts';

/**
 * Ends the execution as failed with an error name and cause; it has neither Next nor End, nor any
 * input or output processing.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html
 */
export interface FailState extends StateBase {
  readonly Type: 'Fail';
  readonly Error?: string;
  readonly ErrorPath?: string;
  readonly Cause?: string;
  readonly CausePath?: string;
}
