import type { Branch } from './branch.ts';
import type { Catcher } from './catcher.ts';
import type { InputOutputFields, ResultFields, StateBase } from './fields.ts';
import type { Retrier } from './retrier.ts';
import type { Transition } from './transition.ts';

/**
 * Runs every branch on the same input; its raw result is the array of the branches' outputs, in order.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
 */
export interface ParallelStateFields<State> extends StateBase, InputOutputFields, ResultFields {
  readonly Type: 'Parallel';
  readonly Branches: readonly Branch<State>[];
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

/** Generic in the state type of its branches; `AslState` (index.ts) instantiates it. */
export type ParallelState<State> = ParallelStateFields<State> & Transition;
