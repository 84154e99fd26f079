import type { Branch } from './branch.ts';
import type { AslState } from './state.ts';

/**
 * A whole state machine, as deployed (DefinitionString) and as run offline.
 * https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
 */
export interface StateMachineDefinition extends Branch<AslState> {
  /** Seconds the whole execution may run before States.Timeout. @default the workflow type's own limit */
  readonly TimeoutSeconds?: number;
  readonly Version?: string;
  /** @default 'JSONPath' */
  readonly QueryLanguage?: 'JSONPath';
}
