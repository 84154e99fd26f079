import { StepflowError } from '../../core/errors.ts';

/**
 * A `.waitForTaskToken` state saw no SendTaskHeartbeat for its HeartbeatSeconds: Step Functions fails it
 * with States.HeartbeatTimeout (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */
export class HeartbeatTimedOut extends StepflowError {
  constructor(readonly heartbeatSeconds: number) {
    super(`no heartbeat for ${heartbeatSeconds}s`);
    this.name = 'States.HeartbeatTimeout';
  }
}
