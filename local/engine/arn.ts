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

/** An Express execution: `...:express:<machine>:<name>:<id>`, the id picked on start. */
export function expressExecutionArn(workflow: string, name: string, id: string, region = DEFAULT_REGION): string {
  return `arn:aws:states:${region}:${LOCAL_ACCOUNT}:express:${workflow}:${name}:${id}`;
}

/** The workflow named by a state machine ARN, or undefined when the ARN is not one. */
export function workflowOfStateMachineArn(arn: string): string | undefined {
  const match = /^arn:aws:states:[^:]*:\d{12}:stateMachine:([^:]+)$/.exec(arn);
  return match?.[1];
}

/** `{ workflow, name }` of an execution ARN, or undefined when the ARN is not one. */
export function parseExecutionArn(arn: string): { readonly workflow: string; readonly name: string } | undefined {
  const match = /^arn:aws:states:[^:]*:\d{12}:(?:execution:([^:]+):([^:]+)|express:([^:]+):([^:]+):[^:]+)$/.exec(arn);
  if (match?.[3]) return { workflow: match[3], name: match[4] };
  return match ? { workflow: match[1], name: match[2] } : undefined;
}
