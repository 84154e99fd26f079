import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AslState } from '../../core/asl/index.ts';
import { SERVICE_INVOKER_PLACEHOLDER, type WorkflowPlan } from '../../core/compiler/plan.ts';
import { MAX_LAMBDA_TIMEOUT_SECONDS } from '../../core/asl/limits.ts';
import { StepflowFunction } from './private/bundling.ts';
import { acknowledge, REASONS } from './private/nag.ts';
import { projectFile } from './private/project.ts';

/** Used when neither the task nor the service gives a timeout. */
const DEFAULT_SERVICE_CALL_SECONDS = 30;

export interface ServiceInvokerProps {
  /** Workflows whose service tasks the invoker serves (its timeout covers the longest call). */
  readonly plans: readonly WorkflowPlan[];
  /**
   * Handler module of the invoker.
   * @default functions/service-invoker/handler.ts of the stepflow project
   */
  readonly entry?: string;
  /** @default 'handler' */
  readonly exportName?: string;
  /** @default 10 */
  readonly timeoutMarginSeconds?: number;
  /** @default 256 */
  readonly memoryMb?: number;
  /**
   * Environment of the invoker: `STEPFLOW_SERVICE_<NAME>_URL` locates services that are not declared in
   * their workflow.
   * @default {}
   */
  readonly environment?: Record<string, string>;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default - log group encrypted by CloudWatch Logs itself */
  readonly logEncryptionKey?: kms.IKey;
}

/** The one Lambda every `type: service` task runs through (discovery, load balancing, timeouts, fallback). */
export class ServiceInvoker extends Construct {
  /** Whether any of the plans has a service task. */
  static isNeeded(plans: readonly WorkflowPlan[]): boolean {
    return plans.some((plan) => Object.values(plan.taskStates).some((s) => s.placeholder === SERVICE_INVOKER_PLACEHOLDER));
  }

  readonly function: lambda.IFunction;
  /** The invoker's Lambda and role, for constructs that add to its environment and permissions. */
  readonly handler: StepflowFunction;

  constructor(scope: Construct, id: string, props: ServiceInvokerProps) {
    super(scope, id);
    const invoker = new StepflowFunction(this, 'Invoker', {
      entry: props.entry ?? projectFile('functions/service-invoker/handler.ts'),
      exportName: props.exportName,
      description: 'stepflow: invokes services for service tasks',
      timeout: Duration.seconds(Math.min(longestCallSeconds(props.plans) + (props.timeoutMarginSeconds ?? 10), MAX_LAMBDA_TIMEOUT_SECONDS)),
      memorySize: props.memoryMb ?? 256,
      environment: props.environment,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      logEncryptionKey: props.logEncryptionKey,
    });
    acknowledge(invoker.function, 'Serverless-LambdaDLQ', REASONS.synchronousLambda);
    this.function = invoker.function;
    this.handler = invoker;
  }
}

/** The longest service call any plan allows: Task state timeouts of service tasks and declared service timeouts. */
function longestCallSeconds(plans: readonly WorkflowPlan[]): number {
  let longest = 0;
  for (const plan of plans) {
    for (const [stateName, taskState] of Object.entries(plan.taskStates)) {
      if (taskState.placeholder !== SERVICE_INVOKER_PLACEHOLDER) continue;
      const state = findState(plan.asl.States, stateName);
      if (state?.Type === 'Task' && state.TimeoutSeconds !== undefined) longest = Math.max(longest, state.TimeoutSeconds);
    }
    for (const service of plan.services) {
      if (service.definition) longest = Math.max(longest, service.definition.timeoutSeconds);
    }
  }
  return longest || DEFAULT_SERVICE_CALL_SECONDS;
}

/** A state by name, also inside Parallel branches and Map item processors. */
function findState(states: Record<string, AslState>, name: string): AslState | undefined {
  if (states[name]) return states[name];
  for (const state of Object.values(states)) {
    const nested = state.Type === 'Parallel' ? state.Branches
      : state.Type === 'Map' ? [state.ItemProcessor, state.Iterator].filter((m) => m !== undefined)
      : [];
    for (const machine of nested) {
      const found = findState(machine.States, name);
      if (found) return found;
    }
  }
  return undefined;
}
