import { CfnOutput, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
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
    this.taskFunctions = new TaskFunctions(this, 'Tasks', { plans: props.plans, publishVersions: rollout !== false, ...shared });
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
    this.workflows = props.plans.map((plan) => {
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
      eventBus: props.eventBus,
      ...shared,
    });
    this.triggers = this.workflows.map((workflow) => {
      const triggers = new WorkflowTriggers(this, `${workflow.node.id}Triggers`, { workflow, hub: this.triggerHub });
      Tags.of(triggers).add(WORKFLOW_TAG, workflow.plan.name);
      return triggers;
    });

    this.api = new WorkflowApi(this, 'Api', {
      table: this.table,
      workflows: this.workflows,
      triggers: runtimeTriggers ? this.triggerHub : undefined,
      authorizationType: props.apiAuthorizationType,
      cloudWatchRole: props.apiCloudWatchRole,
      entry: props.handlers?.api,
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
    for (const workflow of this.workflows) {
      new CfnOutput(this, `${workflow.node.id}Arn`, {
        description: `State machine of workflow "${workflow.plan.name}"`,
        value: workflow.stateMachineArn,
      });
    }
  }
}
