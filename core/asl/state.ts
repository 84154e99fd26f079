import type { ChoiceState } from './choice.ts';
import type { FailState } from './fail.ts';
import type { MapStateFields } from './map.ts';
import type { ParallelStateFields } from './parallel.ts';
import type { PassState } from './pass.ts';
import type { SucceedState } from './succeed.ts';
import type { TaskState } from './task.ts';
import type { Transition } from './transition.ts';
import type { WaitState } from './wait.ts';

/**
 * Any state of a JSONPath state machine, discriminated on `Type`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html
 */
export type AslState =
  | TaskState
  | (ParallelStateFields<AslState> & Transition)
  | (MapStateFields<AslState> & Transition)
  | PassState
  | WaitState
  | ChoiceState
  | SucceedState
  | FailState;

/** The state of one kind: `StateOfType<'Task'>` is TaskState. */
export type StateOfType<Type extends AslState['Type']> = Extract<AslState, { readonly Type: Type }>;
