import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Workflow } from '../workflow.ts';
import { acknowledgeWildcardResource } from './nag.ts';

/**
 * What run-time code does with workflows (start, start sync, stop, redrive, history, task responses), granted
 * once on every state machine named `<namePrefix>*` and its executions rather than per workflow: the grants
 * of many workflows in other stacks (shards) would outgrow a role's policy size limit
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), and naming them by ARN
 * strings keeps this stack from depending on theirs. Aliases (`<name>:live`) match the same pattern.
 */
export function grantWorkflowsByNamePrefix(role: iam.IRole, namePrefix: string, workflows: readonly Workflow[]): void {
  if (workflows.length === 0) return;
  const stack = Stack.of(role);
  const arn = (resource: string, name: string) => stack.formatArn({ service: 'states', resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const machines = arn('stateMachine', `${namePrefix}*`);
  const executions = arn('execution', `${namePrefix}*`);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['states:StartExecution', 'states:StartSyncExecution', 'states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
      resources: [machines],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['states:StopExecution', 'states:RedriveExecution', 'states:GetExecutionHistory'], resources: [executions] }),
  );
  const reason = `The workflows live in shard stacks; their state machines are all named "${namePrefix}<workflow>", so the grant covers exactly that name prefix.`;
  acknowledgeWildcardResource(role, machines, reason);
  acknowledgeWildcardResource(role, executions, reason);
  // Encrypted execution data: the data key of each distinct key (the project's, in practice).
  for (const key of new Set(workflows.flatMap((w) => (w.executionDataKey ? [w.executionDataKey] : [])))) key.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
}
