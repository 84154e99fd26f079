import { randomUUID } from 'node:crypto';
import { MAX_PAYLOAD_BYTES } from '../../core/asl/limits.ts';
import { executionArn, expressExecutionArn } from './arn.ts';
import { InvalidExecutionInput, InvalidName } from './errors.ts';

/** https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html#StepFunctions-StartExecution-request-name */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

/** A StartExecution request checked as Step Functions checks it: its name, input text and execution ARN. */
export function startRequest(workflow: { name: string; mode: 'STANDARD' | 'EXPRESS' }, input: unknown, requestedName: string | undefined, region: string) {
  const name = requestedName ?? randomUUID();
  if (!EXECUTION_NAME.test(name)) throw new InvalidName(name);
  const inputText = JSON.stringify(input ?? {});
  if (Buffer.byteLength(inputText) > MAX_PAYLOAD_BYTES) throw new InvalidExecutionInput(`input is larger than ${MAX_PAYLOAD_BYTES} bytes`);
  const arn = workflow.mode === 'EXPRESS' ? expressExecutionArn(workflow.name, name, randomUUID(), region) : executionArn(workflow.name, name, region);
  return { name, inputText, arn };
}
