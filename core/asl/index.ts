/**
 * Typed Amazon States Language, one type per state kind, and the AWS limits the code relies on.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html
 */
export type { Branch } from './branch.ts';
export type { Catcher } from './catcher.ts';
export type { BooleanExpression, ChoiceExpression, ChoiceRule, ChoiceState, DataTestExpression } from './choice.ts';
export type { FailState } from './fail.ts';
export type { InputOutputFields, PayloadTemplate, ResultFields, StateBase } from './fields.ts';
export type { ItemProcessor, MapState, MapStateFields } from './map.ts';
export type { ParallelState, ParallelStateFields } from './parallel.ts';
export type { PassState, PassStateFields } from './pass.ts';
export type { Retrier } from './retrier.ts';
export type { AslState, StateOfType } from './state.ts';
export type { StateMachineDefinition } from './state-machine.ts';
export type { SucceedState } from './succeed.ts';
export type { TaskState, TaskStateFields } from './task.ts';
export { nextOf, transition, type Transition } from './transition.ts';
export type { WaitState, WaitStateFields } from './wait.ts';
export * from './limits.ts';
