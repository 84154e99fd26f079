import { createHash } from 'node:crypto';
import { MAX_STATE_MACHINE_NAME_LENGTH } from '../../../core/asl/limits.ts';

/**
 * The state machine name of a workflow: `<stackName>-<workflow>` (`-express` added for Express), so run-time code can derive the ARN from
 * the workflow name alone (`arn:<partition>:states:<region>:<account>:stateMachine:<name>`). Past 80
 * characters the name is cut and ends with 8 hex digits of a SHA-256 of the full name, so it stays
 * unique and the same on every synth.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html#StepFunctions-CreateStateMachine-request-name
 */
export function stateMachineName(stackName: string, workflow: string, mode: 'STANDARD' | 'EXPRESS' = 'STANDARD'): string {
  // A new type replaces the state machine; CloudFormation replaces a named resource only under a new name.
  const full = `${stackName}-${workflow}${mode === 'EXPRESS' ? '-express' : ''}`;
  if (full.length <= MAX_STATE_MACHINE_NAME_LENGTH) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_STATE_MACHINE_NAME_LENGTH - hash.length - 1)}-${hash}`;
}
