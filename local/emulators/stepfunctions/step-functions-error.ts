import { StepflowError } from '../../../core/errors.ts';

/**
 * A Step Functions client error the protocol server raises itself (the engine's own are EngineErrors); its
 * `code` (and name) is the wire `__type`, e.g. InvalidArn, answered with status 400.
 */
export class StepFunctionsError extends StepflowError {
  constructor(code: string, message: string) {
    super(message, { code });
    this.name = code;
  }
}
