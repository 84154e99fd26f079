import type { InputOutputFields, StateBase } from './fields.ts';

/**
 * Ends the machine (or branch, or Map iteration) successfully; it has neither Next nor End.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html
 */
export interface SucceedState extends StateBase, InputOutputFields {
  readonly Type: 'Succeed';
}
