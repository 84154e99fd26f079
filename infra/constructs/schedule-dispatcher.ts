import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { StepflowFunction } from './private/bundling.ts';
import { projectFile } from './private/project.ts';
import { registryDelivery } from './private/registry.ts';
import type { StateTable } from './state-table.ts';
import type { Workflow } from './workflow.ts';
import { grantWorkflowsByNamePrefix } from './private/prefix-grants.ts';

export interface ScheduleDispatcherProps {
  /**
   * Grant the workflows' run-time calls once on state machines named `<prefix>*` (shards) rather than per workflow.
   * @default - per workflow
   */
  readonly grantByNamePrefix?: string;
  /** Where fires, schedules, flags and executions are recorded. */
  readonly table: StateTable;
  /** Workflows the dispatcher may start (its registry, and its StartExecution grants). */
  readonly workflows: readonly Workflow[];
  /** Asynchronous invocations (from EventBridge and Scheduler) that failed every attempt. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Handler module of the dispatcher.
   * @default functions/scheduling/handler.ts of the stepflow project
   */
  readonly entry?: string;
  /** @default 'handler' */
  readonly exportName?: string;
  /** @default Duration.seconds(60) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default - log group encrypted by CloudWatch Logs itself */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * The Lambda that schedule and event triggers with a condition (and schedules created through the API)
 * invoke: it records the fire, evaluates the condition (flags in the table, event patterns) and starts
 * the workflow. It knows the workflows from the registry bundled into its code.
 */
export class ScheduleDispatcher extends Construct {
  readonly function: lambda.IFunction;
  readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: ScheduleDispatcherProps) {
    super(scope, id);
    const registry = registryDelivery(this, props.workflows);
    const dispatcher = new StepflowFunction(this, 'Dispatcher', {
      entry: props.entry ?? projectFile('functions/scheduling/handler.ts'),
      exportName: props.exportName,
      description: 'stepflow: dispatches schedule and event trigger fires (conditions, fire records, starts)',
      timeout: props.timeout ?? Duration.seconds(60),
      memorySize: 256,
      environment: { STEPFLOW_TABLE: props.table.tableName, ...registry.environment },
      define: registry.define,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      logEncryptionKey: props.logEncryptionKey,
      deadLetterQueue: props.deadLetterQueue,
    });
    this.function = dispatcher.function;
    this.role = dispatcher.role;
    props.table.grantDispatch(dispatcher.role);
    if (props.grantByNamePrefix !== undefined) grantWorkflowsByNamePrefix(dispatcher.role, props.grantByNamePrefix, props.workflows);
    else for (const workflow of props.workflows) workflow.grantStartAsCalled(dispatcher.role);
  }
}
