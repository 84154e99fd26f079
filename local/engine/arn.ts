/**
 * ARNs of the offline stack. They have the shape of real ones so that code parsing them (the API
 * handler, the SDK) needs no special case; the account is the conventional all-zero local account.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-executions.html
 */
export const LOCAL_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

export function stateMachineArn(workflow: string, region = DEFAULT_REGION): string {
  return `arn:aws:states:${region}:${LOCAL_ACCOUNT}:stateMachine:${workflow}`;
}

export function executionArn(workflow: string, name: string, region = DEFAULT_REGION): string {
  return `arn:aws:states:${region}:${LOCAL_ACCOUNT}:execution:${workflow}:${name}`;
}

/** The workflow named by a state machine ARN, or undefined when the ARN is not one. */
export function workflowOfStateMachineArn(arn: string): string | undefined {
  const match = /^arn:aws:states:[^:]*:\d{12}:stateMachine:([^:]+)$/.exec(arn);
  return match?.[1];
}

/** `{ workflow, name }` of an execution ARN, or undefined when the ARN is not one. */
export function parseExecutionArn(arn: string): { readonly workflow: string; readonly name: string } | undefined {
  const match = /^arn:aws:states:[^:]*:\d{12}:execution:([^:]+):([^:]+)$/.exec(arn);
  return match ? { workflow: match[1], name: match[2] } : undefined;
}
