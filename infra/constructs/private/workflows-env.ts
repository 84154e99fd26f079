import { Annotations, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Workflow } from '../workflow.ts';

/** Lambda allows 4 KB of environment variables per function. */
const LAMBDA_ENVIRONMENT_LIMIT = 4096;
/** A state machine ARN once CloudFormation resolves it, at most (name up to 80 characters). */
const ARN_LENGTH_ESTIMATE = 140;

/**
 * `STEPFLOW_WORKFLOWS` (docs/contracts.md): `{ "<name>": { stateMachineArn, inputSchema?, mode } }` as a
 * CloudFormation string whose ARNs resolve at deploy time. Warns when the value may not fit Lambda's
 * 4 KB environment.
 */
export function workflowsEnvironment(scope: IConstruct, workflows: readonly Workflow[]): string {
  const value: Record<string, { stateMachineArn: string; inputSchema?: Record<string, unknown>; mode: string }> = {};
  let estimate = 0;
  for (const workflow of workflows) {
    const { plan } = workflow;
    value[plan.name] = {
      stateMachineArn: workflow.stateMachineArn,
      ...(plan.inputSchema ? { inputSchema: plan.inputSchema } : {}),
      mode: plan.mode,
    };
    estimate += JSON.stringify({ [plan.name]: { stateMachineArn: '', inputSchema: plan.inputSchema, mode: plan.mode } }).length + ARN_LENGTH_ESTIMATE;
  }
  if (estimate > LAMBDA_ENVIRONMENT_LIMIT - 512) {
    Annotations.of(scope).addWarningV2(
      'stepflow:workflowsEnvironmentSize',
      `STEPFLOW_WORKFLOWS may reach ~${estimate} bytes once ARNs resolve; Lambda allows 4096 bytes of environment in all. ` +
        'Split the workflows over several stacks or shorten input schemas.',
    );
  }
  return Stack.of(scope).toJsonString(value);
}
