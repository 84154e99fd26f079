import type { InputOutputFields, StateBase } from './fields.ts';

type StringOperator = 'StringEquals' | 'StringLessThan' | 'StringGreaterThan' | 'StringLessThanEquals' | 'StringGreaterThanEquals';
type NumericOperator = 'NumericEquals' | 'NumericLessThan' | 'NumericGreaterThan' | 'NumericLessThanEquals' | 'NumericGreaterThanEquals';
type TimestampOperator = 'TimestampEquals' | 'TimestampLessThan' | 'TimestampGreaterThan' | 'TimestampLessThanEquals' | 'TimestampGreaterThanEquals';
type TypeTest = 'IsNull' | 'IsPresent' | 'IsNumeric' | 'IsString' | 'IsBoolean' | 'IsTimestamp';

/**
 * `Variable` compared by one operator: to a literal, or with the `…Path` form to another value of the input.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html#amazon-states-language-choice-state-rules
 */
export type DataTestExpression = { readonly Variable: string }
  & { readonly [Operator in StringOperator | TimestampOperator | 'StringMatches']?: string }
  & { readonly [Operator in NumericOperator]?: number }
  & { readonly BooleanEquals?: boolean }
  & { readonly [Operator in `${StringOperator | NumericOperator | TimestampOperator | 'BooleanEquals'}Path`]?: string }
  & { readonly [Operator in TypeTest]?: boolean };

export type BooleanExpression =
  | { readonly And: readonly ChoiceExpression[] }
  | { readonly Or: readonly ChoiceExpression[] }
  | { readonly Not: ChoiceExpression };

export type ChoiceExpression = DataTestExpression | BooleanExpression;

/** A top-level rule: when its expression holds, the machine moves to `Next`. */
export type ChoiceRule = ChoiceExpression & { readonly Next: string };

/**
 * Branches on the input: the first rule that holds picks the next state, else `Default`. Choice has no
 * `End` and uses `Next` only inside its rules.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */
export interface ChoiceState extends StateBase, InputOutputFields {
  readonly Type: 'Choice';
  readonly Choices: readonly ChoiceRule[];
  /** Where to go when no rule holds. @default none: the execution fails with States.NoChoiceMatched */
  readonly Default?: string;
}
