import type { InputOutputFields, ResultFields, StateBase } from './fields.ts';
import type { Transition } from './transition.ts';

/**
 * Passes its input on, or a fixed `Result`, or the `Parameters` template evaluated: reshapes data
 * without calling anything.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html
 */
export interface PassStateFields extends StateBase, InputOutputFields, Pick<ResultFields, 'Parameters' | 'ResultPath'> {
  readonly Type: 'Pass';
  /** Fixed output, placed at ResultPath. */
  readonly Result?: unknown;
}

export type PassState = PassStateFields & Transition;
