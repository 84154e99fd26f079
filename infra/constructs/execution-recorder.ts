import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EXECUTION_LOG_FILTER_PATTERN } from '../../core/contracts/execution-log-event.ts';
import { StepflowFunction } from './private/bundling.ts';
import { acknowledge } from './private/nag.ts';
import { projectFile } from './private/project.ts';
import { registryDelivery } from './private/registry.ts';
import type { StateTable } from './state-table.ts';
import type { Workflow } from './workflow.ts';

/** The EventBridge detail-type of Step Functions execution status changes. */
export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

export interface ExecutionRecorderProps {
  /** Where executions are recorded. */
  readonly table: StateTable;
  /** Workflows whose status changes to record. */
  readonly workflows: readonly Workflow[];
  /**
   * Handler module of the recorder.
   * @default functions/recorder/handler.ts of the stepflow project
   */
  readonly entry?: string;
  /** @default 'handler' */
  readonly exportName?: string;
  /**
   * How many times EventBridge retries delivering an event to the recorder before it goes to the DLQ.
   * @default 8
   */
  readonly retryAttempts?: number;
  /**
   * How long EventBridge keeps retrying one event.
   * @default Duration.hours(6)
   */
  readonly maxEventAge?: Duration;
  /**
   * State machine ARNs per rule; larger projects get several rules (an event pattern is limited in size).
   * @default 10
   */
  readonly arnsPerRule?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default - log group encrypted by CloudWatch Logs itself */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * Records every execution status change of the given workflows in the state table: EventBridge rules on
 * `aws.states` "Step Functions Execution Status Change" for exactly those state machines → recorder
 * Lambda (retry policy, dead-letter queue for events that cannot be delivered or processed). Step
 * Functions sends those events for Standard workflows only
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html), so each Express workflow's log
 * group has a subscription filter passing its execution-level events (started, succeeded, failed, timed
 * out, aborted) to the same Lambda.
 */
export class ExecutionRecorder extends Construct {
  readonly function: lambda.IFunction;
  readonly rules: readonly events.Rule[];
  /** One per Express workflow: its execution log group → the recorder. */
  readonly subscriptions: readonly logs.SubscriptionFilter[];
  /** Events EventBridge could not deliver, and asynchronous invocations that failed every attempt. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ExecutionRecorderProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'Serverless-SQSRedrivePolicy',
      'This queue is itself the dead-letter queue of the recorder (EventBridge target DeadLetterConfig and the ' +
        "function's DeadLetterConfig); a redrive policy on it would only move the same messages again.",
    );

    const registry = registryDelivery(this, props.workflows);
    const recorder = new StepflowFunction(this, 'Recorder', {
      entry: props.entry ?? projectFile('functions/recorder/handler.ts'),
      exportName: props.exportName,
      description: 'stepflow: records Step Functions execution status changes',
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: { STEPFLOW_TABLE: props.table.tableName, ...registry.environment },
      define: registry.define,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      logEncryptionKey: props.logEncryptionKey,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.function = recorder.function;
    props.table.grantRecordExecutions(recorder.role);

    const target = new targets.LambdaFunction(recorder.function, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: props.retryAttempts ?? 8,
      maxEventAge: props.maxEventAge ?? Duration.hours(6),
    });
    const size = props.arnsPerRule ?? 10;
    const rules: events.Rule[] = [];
    for (let start = 0; start < props.workflows.length; start += size) {
      const chunk = props.workflows.slice(start, start + size);
      rules.push(
        new events.Rule(this, rules.length === 0 ? 'StatusChange' : `StatusChange${rules.length + 1}`, {
          description: `stepflow: execution status changes of ${chunk.map((w) => w.plan.name).join(', ')}`.slice(0, 512),
          eventPattern: {
            source: ['aws.states'],
            detailType: [EXECUTION_STATUS_CHANGE],
            detail: { stateMachineArn: chunk.map((w) => w.stateMachineArn) },
          },
          targets: [target],
        }),
      );
    }
    this.rules = rules;

    const destination = new destinations.LambdaDestination(recorder.function);
    this.subscriptions = props.workflows
      .filter((workflow) => workflow.plan.mode === 'EXPRESS')
      .map((workflow) => {
        if (Stack.of(workflow) === Stack.of(this)) {
          return new logs.SubscriptionFilter(workflow, 'ExecutionStatusSubscription', {
            logGroup: workflow.logGroup,
            destination,
            filterPattern: logs.FilterPattern.literal(EXECUTION_LOG_FILTER_PATTERN),
          });
        }
        // A workflow in another stack (a shard) holds the invoke permission itself: on the recorder it would
        // name the shard's log group and make this stack depend on the shard.
        const permission = new lambda.CfnPermission(workflow, 'RecorderInvokePermission', {
          action: 'lambda:InvokeFunction',
          functionName: recorder.function.functionArn,
          principal: 'logs.amazonaws.com',
          sourceArn: workflow.logGroup.logGroupArn,
          sourceAccount: Stack.of(workflow).account,
        });
        const filter = new logs.SubscriptionFilter(workflow, 'ExecutionStatusSubscription', {
          logGroup: workflow.logGroup,
          destination: new destinations.LambdaDestination(recorder.function, { addPermissions: false }),
          filterPattern: logs.FilterPattern.literal(EXECUTION_LOG_FILTER_PATTERN),
        });
        filter.node.addDependency(permission);
        return filter;
      });
  }
}
