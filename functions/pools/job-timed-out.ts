import { StepflowError } from '../../core/errors.ts';

/** A job ran past its pool's timeout: retried like any failure (the handler cannot be stopped, only left). */
export class JobTimedOut extends StepflowError {
  constructor(seconds: number) {
    super(`job timed out after ${seconds}s`);
    this.name = 'JobTimedOut';
  }
}
