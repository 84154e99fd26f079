import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { TaskFunctionPlan, WorkflowPlan } from '../../core/compiler/plan.ts';
import { MAX_LAMBDA_TIMEOUT_SECONDS } from '../../core/asl/limits.ts';
import { InvalidPlanError } from '../../core/errors.ts';
import { StepflowFunction } from './private/bundling.ts';
import { UniqueIds } from './private/ids.ts';
import { LIVE_ALIAS } from './private/rollout.ts';
import { acknowledge, REASONS } from './private/nag.ts';

export interface TaskFunctionsProps {
  /** Workflows whose task handlers to deploy; a handler used by several workflows is deployed once. */
  readonly plans: readonly WorkflowPlan[];
  /**
   * Seconds added to the longest task timeout of a handler, so Step Functions' task timeout fires
   * (and its retry policy applies) before Lambda cuts the invocation short.
   * @default 10
   */
  readonly timeoutMarginSeconds?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default - log groups encrypted by CloudWatch Logs itself */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Environment given to every task function.
   * @default {}
   */
  readonly environment?: Record<string, string>;
  /**
   * Publish a version of each function whenever its code or configuration changes, behind the `live`
   * alias the state machines invoke: an execution's Task states run the code deployed with its version.
   * StepflowStack turns it on with its rollout.
   * @default false
   */
  readonly publishVersions?: boolean;
}

/**
 * One Lambda per distinct task handler across all workflows (functions are keyed by
 * `TaskFunctionPlan.id`, so each handler is bundled once however many workflows use it).
 */
export class TaskFunctions extends Construct {
  /** Deployed functions by `TaskFunctionPlan.id` (their `live` alias when versions are published). */
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  private readonly byPlaceholder = new Map<string, lambda.IFunction>();

  constructor(scope: Construct, id: string, props: TaskFunctionsProps) {
    super(scope, id);
    const margin = props.timeoutMarginSeconds ?? 10;
    const functions = new Map<string, lambda.IFunction>();
    const ids = new UniqueIds();
    for (const [handlerId, uses] of groupById(props.plans)) {
      const first = uses[0];
      const timeoutSeconds = Math.min(Math.max(...uses.map((u) => u.timeoutSeconds)) + margin, MAX_LAMBDA_TIMEOUT_SECONDS);
      // The compiler has applied the task's own memory and the workflow's task_scheduling limits.
      const memoryMb = Math.max(...uses.map((u) => u.memoryMb));
      const storageMb = Math.max(0, ...uses.map((u) => u.ephemeralStorageMb ?? 0)) || undefined;
      const tasks = [...new Set(uses.flatMap((u) => u.tasks))];
      const fn = new StepflowFunction(this, ids.next(handlerId), {
        entry: first.handler.file,
        exportName: first.handler.exportName,
        description: truncate(`stepflow task handler ${handlerId} (tasks: ${tasks.join(', ')})`, 256),
        timeout: Duration.seconds(timeoutSeconds),
        memorySize: memoryMb,
        ephemeralStorageMb: storageMb,
        environment: props.environment,
        logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        logEncryptionKey: props.logEncryptionKey,
      });
      acknowledge(fn.function, 'Serverless-LambdaDLQ', REASONS.synchronousLambda);
      const invoked = !props.publishVersions ? fn.function : new lambda.Alias(fn, 'Live', { aliasName: LIVE_ALIAS, version: fn.function.currentVersion });
      functions.set(handlerId, invoked);
      this.byPlaceholder.set(first.placeholder, invoked);
    }
    this.functions = functions;
  }

  /** The function behind a `TaskFunction_<id>` placeholder. */
  forPlaceholder(placeholder: string): lambda.IFunction | undefined {
    return this.byPlaceholder.get(placeholder);
  }

  /** Placeholder → function for every task function of `plan` (what `Workflow` takes). */
  functionsFor(plan: WorkflowPlan): Record<string, lambda.IFunction> {
    const result: Record<string, lambda.IFunction> = {};
    for (const f of plan.functions) {
      const fn = this.byPlaceholder.get(f.placeholder);
      if (!fn) throw new InvalidPlanError(`TaskFunctions has no function for placeholder "${f.placeholder}" of workflow "${plan.name}"`);
      result[f.placeholder] = fn;
    }
    return result;
  }
}

/** Every use of each handler id across the plans; an id naming two handlers is an error. */
function groupById(plans: readonly WorkflowPlan[]): Map<string, TaskFunctionPlan[]> {
  const groups = new Map<string, TaskFunctionPlan[]>();
  const problems: string[] = [];
  for (const plan of plans) {
    for (const f of plan.functions) {
      const group = groups.get(f.id);
      if (!group) {
        groups.set(f.id, [f]);
        continue;
      }
      const first = group[0];
      if (first.handler.file !== f.handler.file || first.handler.exportName !== f.handler.exportName) {
        problems.push(
          `task function id "${f.id}" names two handlers: ${first.handler.file}#${first.handler.exportName} and ` +
            `${f.handler.file}#${f.handler.exportName} (workflow "${plan.name}")`,
        );
      } else if (first.placeholder !== f.placeholder) {
        problems.push(`task function id "${f.id}" has two placeholders: "${first.placeholder}" and "${f.placeholder}"`);
      }
      group.push(f);
    }
  }
  if (problems.length > 0) throw new InvalidPlanError(`Inconsistent task functions:\n  ${problems.join('\n  ')}`);
  return groups;
}

function truncate(text: string, max: number): string {
  // ASCII only: the text is also the IAM role description, whose character set excludes "…".
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
