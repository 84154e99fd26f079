import { StepflowError } from '../../../core/errors.ts';

/** An EventBridge error; its `code` (and name) is the wire `__type`, e.g. ResourceNotFoundException. */
export class EventBridgeError extends StepflowError {
  constructor(code: string, message: string) {
    super(message, { code });
    this.name = code;
  }
}
