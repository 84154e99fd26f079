import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { Coordinator } from '../constructs/coordinator.ts';
import { wireApprovalsFunction } from '../constructs/approvals.ts';
import { ExecutionRecorder } from '../constructs/execution-recorder.ts';
import { UniqueIds } from '../constructs/private/ids.ts';
import { createLogsKey } from '../constructs/private/logs-key.ts';
import { ServiceInvoker } from '../constructs/service-invoker.ts';
import { StateTable } from '../constructs/state-table.ts';
import { TaskFunctions } from '../constructs/task-functions.ts';
import { TriggerHub } from '../constructs/trigger-hub.ts';
import { WorkflowApi } from '../constructs/workflow-api.ts';
import { WorkflowTriggers } from '../constructs/workflow-triggers.ts';
import { Workflow } from '../constructs/workflow.ts';

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
  readonly workflows: readonly Workflow[];
  readonly recorder?: ExecutionRecorder;
  readonly triggerHub: TriggerHub;
  /** The triggers of each workflow, in the order of `workflows`. */
  readonly triggers: readonly WorkflowTriggers[];
  readonly api: WorkflowApi;

  constructor(scope: Construct, id: string, props: StepflowStackProps) {
    super(scope, id, props);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const logEncryptionKey = createLogsKey(this, 'LogsKey', 'stepflow log groups (executions, Lambda, API access)');
    const shared = { logRetention, logEncryptionKey };

    this.table = new StateTable(this, 'State', { removalPolicy: props.tableRemovalPolicy, deletionProtection: props.tableDeletionProtection });
    this.taskFunctions = new TaskFunctions(this, 'Tasks', { plans: props.plans, ...shared });
    wireApprovalsFunction(this.taskFunctions, this.table);
    if (ServiceInvoker.isNeeded(props.plans)) {
      this.serviceInvoker = new ServiceInvoker(this, 'Services', {
        plans: props.plans,
        entry: props.handlers?.serviceInvoker,
        environment: props.serviceEnvironment,
        ...shared,
      });
    }

    if (Coordinator.isNeeded(props.plans)) {
      this.coordinator = new Coordinator(this, 'Coordinator', { table: this.table, entry: props.handlers?.coordinator, ...shared });
    }

    const ids = new UniqueIds();
    this.workflows = props.plans.map((plan) => {
      const gated = Coordinator.serves(plan) ? this.coordinator : undefined;
      const workflow = new Workflow(this, `Workflow${ids.next(plan.name)}`, {
        plan,
        functions: this.taskFunctions.functionsFor(plan),
        serviceInvoker: this.serviceInvoker?.function,
        coordinator: gated?.function,
        logRemovalPolicy: props.logRemovalPolicy,
        includeExecutionData: props.includeExecutionData,
        encryptExecutionData: props.encryptExecutionData,
        ...shared,
      });
      gated?.allowRelease(workflow.stateMachineName);
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
      ...shared,
    });
    this.triggers = this.workflows.map((workflow) => new WorkflowTriggers(this, `${workflow.node.id}Triggers`, { workflow, hub: this.triggerHub }));

    this.api = new WorkflowApi(this, 'Api', {
      table: this.table,
      workflows: this.workflows,
      triggers: runtimeTriggers ? this.triggerHub : undefined,
      authorizationType: props.apiAuthorizationType,
      cloudWatchRole: props.apiCloudWatchRole,
      entry: props.handlers?.api,
      ...shared,
    });

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
