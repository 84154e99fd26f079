import type { Branch } from './branch.ts';
import type { Catcher } from './catcher.ts';
import type { InputOutputFields, PayloadTemplate, ResultFields, StateBase } from './fields.ts';
import type { Retrier } from './retrier.ts';
import type { Transition } from './transition.ts';

/** The machine a Map runs for each item, and how. */
export interface ItemProcessor<State> extends Branch<State> {
  readonly ProcessorConfig?: {
    /** @default 'INLINE' */
    readonly Mode?: 'INLINE' | 'DISTRIBUTED';
    /** Required with DISTRIBUTED. */
    readonly ExecutionType?: 'STANDARD' | 'EXPRESS';
  };
}

/**
 * Runs the same steps for each item of an array in its input.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html
 */
export interface MapStateFields<State> extends StateBase, InputOutputFields, ResultFields {
  readonly Type: 'Map';
  readonly ItemProcessor?: ItemProcessor<State>;
  /** The older name of ItemProcessor (without ProcessorConfig); engines still accept it. */
  readonly Iterator?: Branch<State>;
  /** Where the array is in the input. @default '$' */
  readonly ItemsPath?: string;
  /** Each iteration's input, built from a template (`$$.Map.Item.Value` is the item). */
  readonly ItemSelector?: PayloadTemplate;
  /** Iterations at once; 0 means as many as possible. @default 0 */
  readonly MaxConcurrency?: number;
  readonly MaxConcurrencyPath?: string;
  /** Distributed mode: where the items are read from (e.g. S3). */
  readonly ItemReader?: PayloadTemplate;
  readonly ItemBatcher?: PayloadTemplate;
  readonly ResultWriter?: PayloadTemplate;
  readonly ToleratedFailurePercentage?: number;
  readonly ToleratedFailureCount?: number;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

/** Generic in the state type of its item processor; `AslState` (index.ts) instantiates it. */
export type MapState<State> = MapStateFields<State> & Transition;
