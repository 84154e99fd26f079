import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { COORDINATOR_PLACEHOLDER, type WorkflowPlan } from '../../core/compiler/plan.ts';
import { COORDINATOR_TIMEOUT_SECONDS } from '../../functions/coordinator/settings.ts';
import { StepflowFunction } from './private/bundling.ts';
import { acknowledge, REASONS } from './private/nag.ts';
import { projectFile } from './private/project.ts';
import type { StateTable } from './state-table.ts';

export interface CoordinatorProps {
  /** Where the coordinator keeps each gated execution's gates, tokens and outputs. */
  readonly table: StateTable;
  /**
   * Handler module of the coordinator.
   * @default functions/coordinator/handler.ts of the stepflow project
   */
  readonly entry?: string;
  /** @default 256 */
  readonly memoryMb?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default - log group encrypted by CloudWatch Logs itself */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * The coordinator of gated workflows (`functions/coordinator/`): their gate and report states invoke
 * it, and it releases each task with SendTaskSuccess once what the task needs has reported. It may read
 * and write items of the state table, and send task success to the state machines it is allowed to
 * release (`allowRelease`), nothing else.
 */
export class Coordinator extends Construct {
  /** Whether any of the plans runs gated (its ASL names the coordinator). */
  static isNeeded(plans: readonly WorkflowPlan[]): boolean {
    return plans.some(Coordinator.serves);
  }

  /** Whether this plan runs gated. */
  static serves(plan: WorkflowPlan): boolean {
    return Object.values(plan.taskStates).some((s) => s.placeholder === COORDINATOR_PLACEHOLDER);
  }

  readonly function: lambda.IFunction;
  private readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: CoordinatorProps) {
    super(scope, id);
    const coordinator = new StepflowFunction(this, 'Coordinator', {
      entry: props.entry ?? projectFile('functions/coordinator/handler.ts'),
      description: 'stepflow: releases the tasks of gated workflows',
      timeout: Duration.seconds(COORDINATOR_TIMEOUT_SECONDS),
      memorySize: props.memoryMb ?? 256,
      environment: { STEPFLOW_TABLE: props.table.tableName },
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      logEncryptionKey: props.logEncryptionKey,
    });
    props.table.grantCoordinate(coordinator.role);
    acknowledge(coordinator, 'Serverless-LambdaDLQ', REASONS.synchronousLambda);
    this.function = coordinator.function;
    this.role = coordinator.role;
  }

  /**
   * Lets the coordinator answer the task tokens of one state machine: `states:SendTaskSuccess` on its
   * ARN, built from its name (a reference to the state machine would close a dependency cycle: the
   * state machine's definition names this function).
   */
  allowRelease(stateMachineName: string): void {
    const arn = Stack.of(this).formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [arn] }));
  }
}
