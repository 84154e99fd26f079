import { StepflowError } from '../../core/errors.ts';

/**
 * A Task state outlived its TimeoutSeconds on the engine's clock. Named and worded as aws-local-stepfunctions'
 * own timeout error (its timer stays armed on the machine's clock as a backstop), so Retry, Catch and the
 * execution's error and cause are the same whichever fires.
 */
export class TaskTimedOut extends StepflowError {
  constructor(readonly timeoutSeconds: number) {
    super('States.Timeout');
    this.name = 'States.Timeout';
  }
}
