import { grantDistributedMap, grantItemReaders, hasDistributedMap, itemReaderObjects } from './private/distributed-map.ts';
import { ArnFormat, Aws, Fn, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { compileWorkflow } from '../../core/compiler/compile.ts';
import { COORDINATOR_PLACEHOLDER, SERVICE_INVOKER_PLACEHOLDER, type WorkflowPlan } from '../../core/compiler/plan.ts';
import { formatDiagnostic, hasErrors } from '../../core/definition/diagnostics.ts';
import { DefinitionError, InvalidPlanError } from '../../core/errors.ts';
import { runsSynchronously } from '../../functions/executions/execution-runner.ts';
import { loadDefinition } from '../../project/definition-files.ts';
import { createLogsKey } from './private/logs-key.ts';
import { stateMachineName } from './private/names.ts';
import { LIVE_ALIAS, type Rollout } from './private/rollout.ts';
import { acknowledgeStarOnlyActions } from './private/nag.ts';
import { CallbackChannels } from './private/callback-channels.ts';
import type * as events from 'aws-cdk-lib/aws-events';
import { ServiceInvoker, type ServiceInvokerProps } from './service-invoker.ts';
import { TaskFunctions, type TaskFunctionsProps } from './task-functions.ts';

/** Options of `Workflow.fromDefinitionFile`. */
export interface WorkflowFromFileOptions
  extends Omit<WorkflowProps, 'plan' | 'functions' | 'serviceInvoker'>,
    Omit<TaskFunctionsProps, 'plans' | 'logRetention' | 'logEncryptionKey'> {
  /**
   * Folder handler ids are relative to.
   * @default the nearest folder above the definition holding a package.json
   */
  readonly projectRoot?: string;
  /** @default - ServiceInvoker defaults */
  readonly serviceInvoker?: Omit<ServiceInvokerProps, 'plans'>;
}

export interface WorkflowProps {
  /** The compiled workflow (`compileWorkflow`). */
  readonly plan: WorkflowPlan;
  /**
   * The function behind each `TaskFunction_<id>` placeholder of the plan (see `TaskFunctions.functionsFor`).
   */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /**
   * The shared invoker of `type: service` tasks; required when the plan has service tasks.
   * @default - none
   */
  readonly serviceInvoker?: lambda.IFunction;
  /**
   * The coordinator of gated workflows (`Coordinator`); required when the plan runs gated. Give it
   * `allowRelease` on this workflow's state machine name.
   * @default - none
   */
  readonly coordinator?: lambda.IFunction;
  /** Pooled tasks' lane queues by placeholder (`ProcessPool.queuesByPlaceholder`). @default none */
  readonly poolQueues?: Readonly<Record<string, sqs.IQueue>>;
  /**
   * Key encrypting the execution log group.
   * @default - a new customer-managed key with rotation
   */
  readonly logEncryptionKey?: kms.IKey;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Whether execution logs carry input and output data (level ALL is always on).
   * @default - false when the workflow's input schema marks a property sensitive (`writeOnly: true` or
   * `x-sensitive: true`), else true
   */
  readonly includeExecutionData?: boolean;
  /**
   * What happens to the execution log group when it leaves the stack. The default keeps the logs of a
   * deleted workflow but removes a group a failed first deployment created
   * (CloudFormation `RetainExceptOnCreate`).
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Encrypt execution data (input, output, state data) with `logEncryptionKey` rather than an AWS-owned key.
   * @default true
   */
  readonly encryptExecutionData?: boolean;
  /**
   * Name of the state machine. Run-time code derives state machine ARNs from these names (see
   * `private/registry.ts`), so they are explicit. Changing the workflow's mode replaces the state machine,
   * which CloudFormation can only do under a new name: the default name carries the mode for Express.
   * @default `<stackName>-<workflow>` (Standard) or `<stackName>-<workflow>-express`, cut to 80 characters with a hash suffix when longer
   */
  readonly stateMachineName?: string;
  /**
   * Publish each definition as a version behind the `live` alias, shifted as this says, and start executions
   * through the alias (running executions keep their version). Standard workflows only: Express executions
   * last at most five minutes. StepflowStack passes DEFAULT_ROLLOUT (CANARY, 10% for 5 minutes).
   * @default false - executions start the state machine itself
   */
  readonly rollout?: Rollout | false;
  /**
   * Show other stacks this workflow only through ARNs formatted from its name (`stateMachineArn`, `startArn`,
   * `startTarget`, `reference` and the grants), never CloudFormation references: a stack the workflow's own
   * stack depends on (a shard's base) can then grant on it and watch it without a dependency cycle.
   * @default false
   */
  readonly referencedByName?: boolean;
}

/**
 * A stepflow workflow on AWS: the plan's ASL as a Step Functions state machine (STANDARD or EXPRESS
 * as the definition asks), placeholders filled with function ARNs through DefinitionSubstitutions,
 * every event logged (level ALL) to an encrypted log group, X-Ray tracing, and permission to invoke
 * exactly the functions the ASL names.
 */
export class Workflow extends Construct {
  /**
   * Loads, validates and compiles one definition file and deploys it with its own task functions (and
   * service invoker when it has service tasks). Throws with every diagnostic when the file has errors.
   */
  static fromDefinitionFile(scope: Construct, id: string, file: string, options: WorkflowFromFileOptions = {}): Workflow {
    const loaded = loadDefinition(file);
    if (!loaded.definition || hasErrors(loaded.diagnostics)) {
      throw new DefinitionError(`${file} has errors:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`, { diagnostics: loaded.diagnostics });
    }
    const plan = compileWorkflow(loaded.definition, { projectRoot: options.projectRoot });
    const holder = new Construct(scope, id);
    const tasks = new TaskFunctions(holder, 'Tasks', { ...options, plans: [plan] });
    const invoker = ServiceInvoker.isNeeded([plan])
      ? new ServiceInvoker(holder, 'Services', { ...options, ...options.serviceInvoker, plans: [plan] }).function
      : undefined;
    return new Workflow(holder, 'Workflow', { ...options, plan, functions: tasks.functionsFor(plan), serviceInvoker: invoker });
  }

  readonly plan: WorkflowPlan;
  readonly stateMachine: sfn.StateMachine;
  /** The state machine's name: known at synth time (no token). */
  readonly stateMachineName: string;
  readonly logGroup: logs.LogGroup;
  /** The key encrypting execution data, when `encryptExecutionData` is on. */
  readonly executionDataKey?: kms.IKey;
  /** The functions the state machine may invoke. */
  readonly invokedFunctions: readonly lambda.IFunction[];
  /** The version published for the current definition, when the workflow rolls out through an alias. */
  readonly version?: sfn.CfnStateMachineVersion;
  /** The `live` alias executions start through, when the workflow rolls out through one. */
  readonly alias?: sfn.CfnStateMachineAlias;
  /**
   * The state machine as other constructs should use it (grants, metrics): the state machine itself, or an
   * import by its formatted ARN when `referencedByName` is on.
   */
  readonly reference: sfn.IStateMachine;
  /** Queues, bus and grants of callbacks via event and via sqs. */
  readonly callbackChannels: CallbackChannels;
  private readonly rollbackAlarmNames: string[] = [];
  private readonly referencedByName: boolean;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const { plan } = props;
    this.plan = plan;
    const definition = JSON.stringify(plan.asl);
    const queues = props.poolQueues ?? {};
    // Callbacks via event and sqs: their queues, the project bus, and the grants on them.
    this.callbackChannels = new CallbackChannels(this, 'Callbacks', plan);
    const resources = resolvePlaceholders(plan, definition, props, new Set([...Object.keys(queues), ...Object.keys(this.callbackChannels.substitutions)]));
    this.invokedFunctions = [...new Set(Object.values(resources))];

    const key = props.logEncryptionKey ?? createLogsKey(this, 'LogsKey', `stepflow execution logs of ${plan.name}`);
    this.logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      // The /aws/vendedlogs/ prefix keeps the CloudWatch Logs resource policy small
      // (https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html); the stack id's last group makes the
      // name new for each creation of the stack, so a group retained by a destroy never blocks the next deploy.
      logGroupName: `/aws/vendedlogs/states/stepflow/${Stack.of(this).stackName}/${plan.name}-${stackIdSuffix()}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: key,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    this.executionDataKey = props.encryptExecutionData === false ? undefined : key;
    this.stateMachineName = props.stateMachineName ?? stateMachineName(Stack.of(this).stackName, plan.name, plan.mode);
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: this.stateMachineName,
      stateMachineType: plan.mode === 'EXPRESS' ? sfn.StateMachineType.EXPRESS : sfn.StateMachineType.STANDARD,
      comment: plan.description,
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: {
        ...Object.fromEntries(Object.entries(resources).map(([key, fn]) => [key, fn.functionArn])),
        ...Object.fromEntries(Object.entries(queues).map(([key, queue]) => [key, queue.queueUrl])),
        ...this.callbackChannels.substitutions,
      },
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: props.includeExecutionData ?? !hasSensitiveInput(plan) },
      tracingEnabled: true,
      encryptionConfiguration: this.executionDataKey && new sfn.CustomerManagedEncryptionConfiguration(this.executionDataKey),
    });
    this.referencedByName = props.referencedByName ?? false;
    this.reference = this.referencedByName
      ? sfn.StateMachine.fromStateMachineArn(this, 'Reference', formattedStateMachineArn(this, this.stateMachineName))
      : this.stateMachine;
    const rollout = props.rollout ?? false;
    if (rollout && plan.mode === 'STANDARD') {
      // A new version whenever the definition changes (its revision id); older ones stay for the executions
      // still running on them.
      this.version = new sfn.CfnStateMachineVersion(this, 'Version', {
        stateMachineArn: this.stateMachine.stateMachineArn,
        stateMachineRevisionId: (this.stateMachine.node.defaultChild as sfn.CfnStateMachine).attrStateMachineRevisionId,
      });
      this.version.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.alias = new sfn.CfnStateMachineAlias(this, 'Alias', {
        name: LIVE_ALIAS,
        description: `stepflow: executions of ${plan.name} start here`,
        deploymentPreference: {
          // Ref of a StateMachineVersion is its ARN.
          stateMachineVersionArn: this.version.ref,
          type: rollout.type,
          ...(rollout.type === 'ALL_AT_ONCE' ? {} : { percentage: rollout.percentage ?? 10, interval: rollout.intervalMinutes ?? 5 }),
          alarms: Lazy.list({ produce: () => (this.rollbackAlarmNames.length > 0 ? this.rollbackAlarmNames : undefined) }),
        },
      });
    }
    // Pooled tasks send their job to the lane's queue (sqs:sendMessage.waitForTaskToken).
    for (const queue of new Set(Object.values(queues))) queue.grantSendMessages(this.stateMachine);
    this.callbackChannels.grantTo(this.stateMachine);
    if (this.invokedFunctions.length > 0) {
      // Task states name the unqualified function ARN, so no `<arn>:*` version/alias grant is needed.
      this.stateMachine.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: this.invokedFunctions.map((fn) => fn.functionArn),
        }),
      );
    }
    if (hasDistributedMap(plan.asl)) grantDistributedMap(this.stateMachine, this.stateMachineName);
    grantItemReaders(this.stateMachine, itemReaderObjects(plan.asl));
    acknowledgeStarOnlyActions(
      this.stateMachine.role,
      'Step Functions log delivery (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ' +
        'ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray ' +
        '(PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) accept only Resource "*"; ' +
        'AWS documents no resource-level permissions for these actions.',
    );
  }

  /** The bus callbacks via event without `bus` put their event on (StepflowStack passes its project bus). */
  useProjectBus(bus: events.IEventBus): void {
    this.callbackChannels.useProjectBus(bus);
  }

  get stateMachineArn(): string {
    return this.reference.stateMachineArn;
  }

  /** What executions start on: the `live` alias when there is one, else the state machine. */
  get startArn(): string {
    if (!this.alias) return this.reference.stateMachineArn;
    // An alias ARN is the state machine ARN and `:<alias>` (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html).
    return this.referencedByName ? `${this.reference.stateMachineArn}:${LIVE_ALIAS}` : this.alias.ref;
  }

  /** The alias qualifier run-time code appends to the state machine ARN to start executions. */
  get startQualifier(): string | undefined {
    return this.alias ? LIVE_ALIAS : undefined;
  }

  /** What EventBridge rule targets start: the alias when there is one. */
  get startTarget(): sfn.IStateMachine {
    if (!this.alias) return this.stateMachine;
    return (this.node.tryFindChild('StartTarget') as sfn.IStateMachine | undefined) ?? sfn.StateMachine.fromStateMachineArn(this, 'StartTarget', this.startArn);
  }

  /** Alarms (by name) that roll a gradual deployment back when they go off. */
  addRollbackAlarms(...alarmNames: string[]): void {
    this.rollbackAlarmNames.push(...alarmNames);
  }

  /**
   * StartExecution, and the data key it encrypts the input with when execution data is encrypted
   * (https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html).
   */
  grantStartExecution(grantee: iam.IGrantable): void {
    this.reference.grantStartExecution(grantee);
    // Starting through an alias is authorised on the alias ARN
    // (https://docs.aws.amazon.com/step-functions/latest/dg/auth-version-alias.html).
    if (this.alias) iam.Grant.addToPrincipal({ grantee, actions: ['states:StartExecution'], resourceArns: [this.startArn] });
    this.grantExecutionDataKey(grantee);
  }

  /** StartSyncExecution, which also decrypts the output it returns. */
  grantStartSyncExecution(grantee: iam.IGrantable): void {
    this.reference.grantStartSyncExecution(grantee);
    this.executionDataKey?.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
  }

  /**
   * What `functions/executions/start-workflow-execution.ts` sends: StartExecution, and StartSyncExecution
   * for an Express workflow short enough to be awaited.
   */
  grantStartAsCalled(grantee: iam.IGrantable): void {
    this.grantStartExecution(grantee);
    if (runsSynchronously({ mode: this.plan.mode, timeoutSeconds: this.plan.asl.TimeoutSeconds })) this.grantStartSyncExecution(grantee);
  }

  /** What a principal starting executions some other way (an EventBridge target role) needs of the key. */
  grantExecutionDataKey(grantee: iam.IGrantable): void {
    this.executionDataKey?.grant(grantee, 'kms:GenerateDataKey');
  }

  /**
   * ARN pattern of this workflow's executions (`...:execution:<name>:*`), for DescribeExecution and
   * StopExecution grants. Undefined for EXPRESS workflows, whose executions support neither.
   */
  get executionArnPattern(): string | undefined {
    if (this.plan.mode === 'EXPRESS') return undefined;
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>`, with pseudo parameters that resolve in any stack. */
function formattedStateMachineArn(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/** The last group of the stack's id (`arn:...:stack/<name>/<uuid>`): fixed for the life of the stack, new on each creation. */
function stackIdSuffix(): string {
  return Fn.select(4, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
}

/** Whether the input schema marks a property sensitive, so execution data should stay out of the logs. */
export function hasSensitiveInput(plan: WorkflowPlan): boolean {
  const visit = (schema: unknown): boolean => {
    if (!schema || typeof schema !== 'object') return false;
    const node = schema as Record<string, unknown>;
    if (node.writeOnly === true || node['x-sensitive'] === true) return true;
    return Object.values(node).some((value) => (Array.isArray(value) ? value.some(visit) : visit(value)));
  };
  return visit(plan.inputSchema);
}

/** Placeholder → function for every `${Placeholder}` in the ASL; reports every missing one at once. */
function resolvePlaceholders(plan: WorkflowPlan, definition: string, props: WorkflowProps, queues: ReadonlySet<string>): Record<string, lambda.IFunction> {
  const used = new Set<string>();
  for (const match of definition.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)) used.add(match[1]);
  for (const state of Object.values(plan.taskStates)) if (!state.channel) used.add(state.placeholder);
  for (const queue of queues) used.delete(queue);
  const resolved: Record<string, lambda.IFunction> = {};
  const missing: string[] = [];
  for (const placeholder of [...used].sort()) {
    const fn = placeholder === SERVICE_INVOKER_PLACEHOLDER ? props.serviceInvoker
      : placeholder === COORDINATOR_PLACEHOLDER ? props.coordinator
        : props.functions[placeholder];
    if (fn) resolved[placeholder] = fn;
    else if (placeholder === SERVICE_INVOKER_PLACEHOLDER) missing.push(`${placeholder} (serviceInvoker)`);
    else if (placeholder === COORDINATOR_PLACEHOLDER) missing.push(`${placeholder} (coordinator)`);
    else missing.push(placeholder);
  }
  if (missing.length > 0) {
    throw new InvalidPlanError(`Workflow "${plan.name}": no function given for placeholder(s) ${missing.join(', ')}`);
  }
  return resolved;
}
