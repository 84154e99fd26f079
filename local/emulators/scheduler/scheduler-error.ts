import { StepflowError } from '../../../core/errors.ts';

export type SchedulerErrorCode = 'ValidationException' | 'ConflictException' | 'ResourceNotFoundException';

/** A Scheduler error; its `code` (and name) is the wire `x-amzn-errortype`, with the HTTP status restJson1 gives it. */
export class SchedulerError extends StepflowError {
  declare readonly code: SchedulerErrorCode;

  constructor(code: SchedulerErrorCode, message: string) {
    super(message, { code });
    this.name = code;
  }

  get status(): number {
    return this.code === 'ConflictException' ? 409 : this.code === 'ResourceNotFoundException' ? 404 : 400;
  }
}
