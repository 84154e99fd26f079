import { CfnOutput, Stack, Tags, type RemovalPolicy, type StackProps } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { Coordinator } from '../constructs/coordinator.ts';
import type { ProcessPool } from '../constructs/process-pool.ts';
import { UniqueIds } from '../constructs/private/ids.ts';
import { stateMachineName } from '../constructs/private/names.ts';
import type { Rollout } from '../constructs/private/rollout.ts';
import { TaskFunctions } from '../constructs/task-functions.ts';
import { wireApprovalsFunction } from '../constructs/approvals.ts';
import type { StateTable } from '../constructs/state-table.ts';
import { Workflow } from '../constructs/workflow.ts';

export interface StepflowShardStackProps extends StackProps {
  /** The workflows this shard deploys. */
  readonly plans: readonly WorkflowPlan[];
  /** Name of the base stack: state machines keep `<base>-<workflow>` names wherever they are deployed. */
  readonly baseStackName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logEncryptionKey: kms.IKey;
  readonly rollout: Rollout | false;
  /** The base's table: the approvals function records pending approvals there. */
  readonly table: StateTable;
  readonly serviceInvoker?: lambda.IFunction;
  readonly coordinator?: Coordinator;
  readonly logRemovalPolicy?: RemovalPolicy;
  readonly includeExecutionData?: boolean;
  readonly encryptExecutionData?: boolean;
  readonly workflowTag: string;
  /** The base's pools: pooled tasks send to their queues, reached by name. @default none */
  readonly pools?: Readonly<Record<string, ProcessPool>>;
}

/**
 * Workflows deployed beside a StepflowStack that holds the shared resources: their task functions, state
 * machines (named as in the base stack), and, added by the base, their alarms and triggers. The shard uses the
 * base's key, invoker and coordinator through CloudFormation references (the shard depends on the base);
 * the base sees the shard's state machines only by formatted ARNs (`Workflow.referencedByName`), so no cycle forms.
 * Pooled tasks send to the base's pool queues, imported by name-built ARN and URL.
 */
export class StepflowShardStack extends Stack {
  readonly taskFunctions: TaskFunctions;
  readonly workflows: readonly Workflow[];

  constructor(scope: Construct, id: string, props: StepflowShardStackProps) {
    super(scope, id, props);
    for (const [key, value] of Object.entries(props.tags ?? {})) Tags.of(this).add(key, value);
    const shared = { logRetention: props.logRetention, logEncryptionKey: props.logEncryptionKey };
    this.taskFunctions = new TaskFunctions(this, 'Tasks', { plans: props.plans, publishVersions: props.rollout !== false, ...shared });
    wireApprovalsFunction(this.taskFunctions, props.table);
    const ids = new UniqueIds();
    this.workflows = props.plans.map((plan) => {
      const gated = Coordinator.serves(plan) ? props.coordinator : undefined;
      const workflow = new Workflow(this, `Workflow${ids.next(plan.name)}`, {
        plan,
        functions: this.taskFunctions.functionsFor(plan),
        serviceInvoker: props.serviceInvoker,
        coordinator: gated?.function,
        poolQueues: Object.assign({}, ...[...new Set((plan.pools ?? []).map((p) => p.name))].map((name) => props.pools![name].queuesByPlaceholderIn(this))),
        logRemovalPolicy: props.logRemovalPolicy,
        includeExecutionData: props.includeExecutionData,
        encryptExecutionData: props.encryptExecutionData,
        rollout: props.rollout,
        stateMachineName: stateMachineName(props.baseStackName, plan.name, plan.mode),
        referencedByName: true,
        ...shared,
      });
      gated?.allowRelease(workflow.stateMachineName);
      Tags.of(workflow).add(props.workflowTag, plan.name);
      new CfnOutput(this, `${workflow.node.id}Arn`, { description: `State machine of workflow "${plan.name}"`, value: workflow.stateMachine.stateMachineArn });
      return workflow;
    });
  }
}
