import { ArnFormat, CfnOutput, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DEFAULT_MAX_RESOURCES_PER_STACK, estimateSharedResources, estimateWorkflowResources } from './sharding/resource-estimate.ts';
import { assignShards, type ShardAssignment } from './sharding/shard-assignment.ts';
import { StepflowShardStack } from './stepflow-shard-stack.ts';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { Coordinator } from '../constructs/coordinator.ts';
import { ProcessPool } from '../constructs/process-pool.ts';
import { wireApprovalsFunction } from '../constructs/approvals.ts';
import { ExecutionRecorder } from '../constructs/execution-recorder.ts';
import { UniqueIds } from '../constructs/private/ids.ts';
import { createLogsKey } from '../constructs/private/logs-key.ts';
import { ServiceInvoker } from '../constructs/service-invoker.ts';
import { DEFAULT_ROLLOUT, type Rollout } from '../constructs/private/rollout.ts';
import { StackMonitoring } from '../constructs/stack-monitoring.ts';
import { ServiceOrchestration } from '../constructs/service-orchestration.ts';
import { StateTable } from '../constructs/state-table.ts';
import { TaskFunctions } from '../constructs/task-functions.ts';
import { TriggerHub } from '../constructs/trigger-hub.ts';
import { WorkflowApi } from '../constructs/workflow-api.ts';
import { WorkflowTriggers } from '../constructs/workflow-triggers.ts';
import { Workflow } from '../constructs/workflow.ts';

/** Tag on every resource of one workflow (state machine, log group, roles, triggers), valued with its name. */
export const WORKFLOW_TAG = 'stepflow:workflow';

/**
 * `tags` (from StackProps) go on every taggable resource of the stack, as CDK applies stack tags.
 */
export interface StepflowStackProps extends StackProps {
  /** Compiled workflows to deploy (`loadProject(...).plans`). */
  readonly plans: readonly WorkflowPlan[];
  /**
   * What happens to the state table when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly tableRemovalPolicy?: RemovalPolicy;
  /**
   * Deletion protection of the state table (turn off for stacks meant to be destroyed, e.g. previews).
   * @default true
   */
  readonly tableDeletionProtection?: boolean;
  /**
   * What happens to execution log groups when they leave the stack.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Whether execution logs carry input and output data, for every workflow.
   * @default - per workflow: off when its input schema marks a property sensitive
   */
  readonly includeExecutionData?: boolean;
  /**
   * Encrypt execution data with the project key rather than an AWS-owned key.
   * @default true
   */
  readonly encryptExecutionData?: boolean;
  /**
   * How API callers authenticate.
   * @default apigateway.AuthorizationType.IAM
   */
  readonly apiAuthorizationType?: apigateway.AuthorizationType;
  /**
   * Let this stack set API Gateway's account-wide CloudWatch role.
   * @default true
   */
  readonly apiCloudWatchRole?: boolean;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Environment of the service invoker: `STEPFLOW_SERVICE_<NAME>_URL` for services a workflow names
   * without declaring them.
   * @default {}
   */
  readonly serviceEnvironment?: Record<string, string>;
  /**
   * Handler modules of stepflow's own Lambdas, to deploy other implementations.
   * @default - functions/api, functions/recorder, functions/scheduling and functions/service-invoker `handler.ts` of this project
   */
  readonly handlers?: StepflowHandlers;
  /**
   * Serve the API's trigger endpoints (schedules and event rules created at run time, events, flags),
   * which need the dispatcher. When off, the dispatcher is deployed only if a trigger has a condition
   * (or a workflow with event triggers sets max_events).
   * @default true
   */
  readonly runtimeTriggers?: boolean;
  /**
   * The customer-managed key of the log groups and encrypted execution data (its policy must let the
   * regional CloudWatch Logs principal use it, as `createLogsKey` does).
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * A state table made elsewhere, with stepflow's keys and indexes; none is created.
   * @default - a new table
   */
  readonly table?: dynamodb.ITable;
  /**
   * An event bus made elsewhere for the event triggers and the API's events; none is created.
   * @default - a new bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * Alarms (each workflow's, dead-letter queues, API, schedule drift), their SNS topic encrypted with the
   * project key, and one dashboard.
   * @default true
   */
  readonly monitoring?: boolean;
  /**
   * How new definitions of Standard workflows take over their `live` alias (the workflow alarms roll it
   * back); `false` deploys in place and starts the state machines themselves.
   * @default CANARY, 10% for 5 minutes
   */
  readonly rollout?: Rollout | false;
  /** Addresses subscribed to the alarm topic, besides each workflow's `alerts.topic_email`. @default [] */
  readonly alarmEmails?: readonly string[];
  /**
   * Resources one stack may hold (CloudFormation's limit is 500). When the estimate for all workflows and the
   * shared resources is above it, the workflows go to shard stacks (`<stack>-shard<N>`) and this stack keeps
   * the shared resources.
   * @default 450
   */
  readonly maxResourcesPerStack?: number;
  /**
   * The shard of each workflow placed by an earlier synth (`shardAssignment` of that synth, recorded by
   * infra/stacks/app.ts under `stepflow:shards` in cdk.context.json), so adding a workflow moves no other.
   * @default {}
   */
  readonly shardAssignments?: ShardAssignment;
}

export interface StepflowHandlers {
  /** @default functions/api/handler.ts */
  readonly api?: string;
  /** @default functions/recorder/handler.ts */
  readonly recorder?: string;
  /** @default functions/service-invoker/handler.ts */
  readonly serviceInvoker?: string;
  /** @default functions/scheduling/handler.ts */
  readonly dispatcher?: string;
  /** @default functions/coordinator/handler.ts */
  readonly coordinator?: string;
}

/**
 * Every workflow of a project on AWS: one Lambda per distinct task handler, one state machine per
 * workflow (named `<stack>-<workflow>`), the state table, the execution recorder, the shared service
 * invoker (when a workflow has service tasks), the coordinator (when a workflow runs gated), the triggers (event bus, rules, Scheduler schedules, the
 * dispatcher, one dead-letter queue) and the REST API. All log groups share one customer-managed key.
 */
export class StepflowStack extends Stack {
  readonly table: StateTable;
  readonly taskFunctions: TaskFunctions;
  readonly serviceInvoker?: ServiceInvoker;
  readonly coordinator?: Coordinator;
  /** Process pools by name. */
  readonly pools: Readonly<Record<string, ProcessPool>>;
  readonly workflows: readonly Workflow[];
  readonly recorder?: ExecutionRecorder;
  readonly triggerHub: TriggerHub;
  /** The triggers of each workflow, in the order of `workflows`. */
  readonly triggers: readonly WorkflowTriggers[];
  readonly api: WorkflowApi;
  readonly monitoring?: StackMonitoring;
  /** The shard stacks holding the workflows, when they do not fit in this one (else empty). */
  readonly shards: readonly StepflowShardStack[];
  /** The shard of every workflow, when sharded. */
  readonly shardAssignment?: ShardAssignment;

  constructor(scope: Construct, id: string, props: StepflowStackProps) {
    super(scope, id, props);
    // Stack tags reach the CloudFormation stack through the CLI; Tags.of puts them on each resource in the template too.
    for (const [key, value] of Object.entries(props.tags ?? {})) Tags.of(this).add(key, value);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const logEncryptionKey = props.encryptionKey ?? createLogsKey(this, 'LogsKey', 'stepflow log groups (executions, Lambda, API access)');
    const shared = { logRetention, logEncryptionKey };

    this.table = new StateTable(this, 'State', {
      removalPolicy: props.tableRemovalPolicy,
      deletionProtection: props.tableDeletionProtection,
      existingTable: props.table,
    });
    const rollout = props.rollout ?? DEFAULT_ROLLOUT;
    this.shardAssignment = shardsFor(props);
    const sharded = this.shardAssignment !== undefined;
    this.taskFunctions = new TaskFunctions(this, 'Tasks', { plans: sharded ? [] : props.plans, publishVersions: rollout !== false, ...shared });
    wireApprovalsFunction(this.taskFunctions, this.table);
    if (ServiceInvoker.isNeeded(props.plans)) {
      this.serviceInvoker = new ServiceInvoker(this, 'Services', {
        plans: props.plans,
        entry: props.handlers?.serviceInvoker,
        environment: props.serviceEnvironment,
        ...shared,
      });
      if (ServiceOrchestration.isNeeded(props.plans)) {
        new ServiceOrchestration(this, 'Orchestration', { table: this.table, invoker: this.serviceInvoker.handler.function, invokerRole: this.serviceInvoker.handler.role, plans: props.plans, ...shared });
      }
    }

    if (Coordinator.isNeeded(props.plans)) {
      this.coordinator = new Coordinator(this, 'Coordinator', { table: this.table, entry: props.handlers?.coordinator, ...shared });
    }

    this.pools = ProcessPool.forPlans(this, props.plans, { table: this.table, ...shared });
    const ids = new UniqueIds();
    this.shards = this.shardAssignment ? this.createShards(scope, id, props, this.shardAssignment, { rollout, ...shared }) : [];
    const shardWorkflows = new Map(this.shards.flatMap((shard) => shard.workflows.map((workflow) => [workflow.plan.name, workflow] as const)));
    // The pools stay here: their workers answer the task tokens of the shards' state machines (by name).
    for (const workflow of shardWorkflows.values()) {
      for (const name of new Set((workflow.plan.pools ?? []).map((p) => p.name))) {
        this.pools[name].allowAnswer(workflow.stateMachineName);
        // The queues must exist before a shard's state machine sends to them.
        Stack.of(workflow).addStackDependency(this);
      }
    }
    this.workflows = sharded ? props.plans.map((plan) => shardWorkflows.get(plan.name)!) : props.plans.map((plan) => {
      const pools = [...new Set((plan.pools ?? []).map((p) => this.pools[p.name]))];
      const gated = Coordinator.serves(plan) ? this.coordinator : undefined;
      const workflow = new Workflow(this, `Workflow${ids.next(plan.name)}`, {
        plan,
        functions: this.taskFunctions.functionsFor(plan),
        serviceInvoker: this.serviceInvoker?.function,
        coordinator: gated?.function,
        poolQueues: Object.assign({}, ...pools.map((p) => p.queuesByPlaceholder())),
        logRemovalPolicy: props.logRemovalPolicy,
        includeExecutionData: props.includeExecutionData,
        encryptExecutionData: props.encryptExecutionData,
        rollout,
        ...shared,
      });
      gated?.allowRelease(workflow.stateMachineName);
      Tags.of(workflow).add(WORKFLOW_TAG, plan.name);
      for (const pool of pools) pool.allowAnswer(workflow.stateMachineName);
      return workflow;
    });

    if (this.workflows.length > 0) {
      this.recorder = new ExecutionRecorder(this, 'Recorder', {
        table: this.table,
        workflows: this.workflows,
        entry: props.handlers?.recorder,
        ...shared,
      });
    }
    const runtimeTriggers = props.runtimeTriggers ?? true;
    this.triggerHub = new TriggerHub(this, 'Triggers', {
      table: this.table,
      workflows: this.workflows,
      dispatcher: runtimeTriggers || props.plans.some((plan) => WorkflowTriggers.needsDispatcher(plan)),
      dispatcherEntry: props.handlers?.dispatcher,
      grantByNamePrefix: sharded ? `${this.stackName}-` : undefined,
      eventBus: props.eventBus,
      ...shared,
    });
    for (const workflow of this.workflows) workflow.useProjectBus(this.triggerHub.eventBus);
    this.triggers = this.workflows.map((workflow) => {
      const triggers = sharded
        ? new WorkflowTriggers(Stack.of(workflow), `${workflow.node.id}Triggers`, {
            workflow,
            hub: this.triggerHub,
            ruleDeadLetterQueue: shardDeadLetterQueue(Stack.of(workflow), this.triggerHub),
          })
        : new WorkflowTriggers(this, `${workflow.node.id}Triggers`, { workflow, hub: this.triggerHub });
      // In a shard the targets name the state machine by formatted ARN, which orders nothing: create it first.
      if (sharded) triggers.node.addDependency(workflow);
      Tags.of(triggers).add(WORKFLOW_TAG, workflow.plan.name);
      return triggers;
    });

    if (sharded) allowShardRules(this.triggerHub, this.stackName);
    this.api = new WorkflowApi(this, 'Api', {
      table: this.table,
      workflows: this.workflows,
      triggers: runtimeTriggers ? this.triggerHub : undefined,
      authorizationType: props.apiAuthorizationType,
      cloudWatchRole: props.apiCloudWatchRole,
      entry: props.handlers?.api,
      grantByNamePrefix: sharded ? `${this.stackName}-` : undefined,
      // Jobs delayed past 15 minutes are run-time schedules: refused without run-time triggers.
      pools: { pools: Object.values(this.pools), scheduler: runtimeTriggers ? this.triggerHub : undefined },
      ...shared,
    });

    if (props.monitoring ?? true) {
      this.monitoring = new StackMonitoring(this, 'Monitoring', {
        workflows: this.workflows,
        encryptionKey: logEncryptionKey,
        api: this.api.api,
        deadLetterQueues: [this.triggerHub.deadLetterQueue, ...(this.recorder ? [this.recorder.deadLetterQueue] : [])],
        dispatcher: this.triggerHub.dispatcher?.function,
        emails: props.alarmEmails,
      });
    }

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.triggerHub.eventBusName });
    // Shards carry the outputs of their own workflows.
    for (const workflow of sharded ? [] : this.workflows) {
      new CfnOutput(this, `${workflow.node.id}Arn`, {
        description: `State machine of workflow "${workflow.plan.name}"`,
        value: workflow.stateMachineArn,
      });
    }
  }

  private createShards(
    scope: Construct,
    id: string,
    props: StepflowStackProps,
    assignment: ShardAssignment,
    shared: { rollout: Rollout | false; logRetention: logs.RetentionDays; logEncryptionKey: kms.IKey },
  ): StepflowShardStack[] {
    const numbers = [...new Set(Object.values(assignment))].sort((a, b) => a - b);
    return numbers.map(
      (shard) =>
        new StepflowShardStack(scope, `${id}Shard${shard}`, {
          stackName: `${this.stackName}-shard${shard}`,
          env: props.env,
          tags: props.tags,
          description: `stepflow workflows of ${this.stackName} (shard ${shard})`,
          plans: props.plans.filter((plan) => assignment[plan.name] === shard),
          baseStackName: this.stackName,
          table: this.table,
          serviceInvoker: this.serviceInvoker?.function,
          coordinator: this.coordinator,
          logRemovalPolicy: props.logRemovalPolicy,
          includeExecutionData: props.includeExecutionData,
          encryptExecutionData: props.encryptExecutionData,
          workflowTag: WORKFLOW_TAG,
          pools: this.pools,
          ...shared,
        }),
    );
  }
}

/** The shard of each workflow when everything would not fit in one stack; undefined when it does. */
function shardsFor(props: StepflowStackProps): ShardAssignment | undefined {
  const budget = props.maxResourcesPerStack ?? DEFAULT_MAX_RESOURCES_PER_STACK;
  const workflows = props.plans.map((plan) => ({ name: plan.name, resources: estimateWorkflowResources(plan) }));
  const total = estimateSharedResources(workflows.length) + workflows.reduce((sum, w) => sum + w.resources, 0);
  // Once sharded, stay sharded: folding the workflows back would move every one of them.
  const recorded = props.plans.some((plan) => props.shardAssignments?.[plan.name] !== undefined);
  if (total <= budget && !recorded) return undefined;
  return assignShards({ workflows, recorded: props.shardAssignments, budget });
}

/** The hub's dead-letter queue imported into a shard (once): an import adds no policy naming the shard's rules. */
function shardDeadLetterQueue(shard: Stack, hub: TriggerHub): sqs.IQueue {
  const id = 'TriggerDeadLetterQueue';
  return (shard.node.tryFindChild(id) as sqs.IQueue | undefined) ?? sqs.Queue.fromQueueArn(shard, id, hub.deadLetterQueue.queueArn);
}

/**
 * Lets the rules of the shards (named `<base>-shard<N>-...` by CloudFormation, on any bus) send what they
 * cannot deliver to the hub's dead-letter queue
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html#eb-dlq-perms).
 */
function allowShardRules(hub: TriggerHub, baseStackName: string): void {
  const stack = Stack.of(hub);
  const rules = [`${baseStackName}-shard*`, `*/${baseStackName}-shard*`].map((name) =>
    stack.formatArn({ service: 'events', resource: 'rule', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
  );
  hub.deadLetterQueue.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowShardRules',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [hub.deadLetterQueue.queueArn],
      conditions: { ArnLike: { 'aws:SourceArn': rules }, StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
  );
}
