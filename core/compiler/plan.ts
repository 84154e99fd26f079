import type { StateMachineDefinition } from '../asl/index.ts';
import type { Diagnostic } from '../definition/diagnostics.ts';
import type { HandlerRef, SchedulingLimits, ServiceDefinition } from '../definition/model.ts';
import type { TriggerPlan } from './triggers.ts';
import type { PoolDefinition } from '../definition/pool-model.ts';

/** The ASL types, re-exported for backends that read a plan. */
export type { AslState, StateMachineDefinition } from '../asl/index.ts';

/**
 * The compiler's output and the one contract between the compiler and its backends (CDK in `infra/`,
 * the offline stack in `local/`). Plain data: no CDK, no SDK.
 *
 * The ASL is JSONPath ASL with `${Placeholder}` strings where resources go; CDK fills them through
 * DefinitionSubstitutions, the offline engine through task overrides keyed by state name.
 *
 * State data while an execution runs is the results object itself, `{ <task>: <result>, ... }`: the first
 * task replaces the execution input with it, later tasks add their key (ResultPath `$.<task>`). Every task
 * reads the execution input from `$$.Execution.Input`. The execution output is that results object.
 */
export interface WorkflowPlan {
  readonly name: string;
  readonly description?: string;
  /** Absolute path of the definition file. */
  readonly file: string;
  readonly mode: 'STANDARD' | 'EXPRESS';
  readonly asl: StateMachineDefinition;
  /** One entry per distinct handler used by this workflow. */
  readonly functions: readonly TaskFunctionPlan[];
  /** Services named by service tasks (declared ones carry their settings). */
  readonly services: readonly ServiceRef[];
  /** Every Task state of the ASL, by state name, with what it runs. */
  readonly taskStates: Readonly<Record<string, TaskStatePlan>>;
  readonly inputSchema?: Record<string, unknown>;
  /** Whole-execution timeout in seconds (also the ASL's TimeoutSeconds). */
  readonly timeoutSeconds?: number;
  /** Schedules and event rules that start this workflow. */
  readonly triggers: readonly TriggerPlan[];
  /** Limits from the definition's task_scheduling block. */
  readonly scheduling: SchedulingLimits;
  /** Worker pools declared beside the workflow; pooled Task states send to their lanes' queues. @default none */
  readonly pools?: readonly PoolDefinition[];
  /** Compiler warnings, e.g. an edge serialised to fit a non-series-parallel graph. */
  readonly warnings: readonly Diagnostic[];
}

export interface TaskFunctionPlan {
  /** Name of the placeholder in the ASL, without `${}`: `TaskFunction_<id>`. */
  readonly placeholder: string;
  /** Stable identifier, unique per handler across all workflows of a project (used for construct ids). */
  readonly id: string;
  readonly handler: HandlerRef;
  /** Longest task timeout using this handler, in seconds; the Lambda timeout must cover it. */
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Lambda ephemeral storage (/tmp) in MB. @default 512 */
  readonly ephemeralStorageMb?: number;
  readonly tasks: readonly string[];
}

export interface ServiceRef {
  readonly name: string;
  /** Absent when the service is registered at run time rather than declared. */
  readonly definition?: ServiceDefinition;
}

export interface TaskStatePlan {
  readonly task: string;
  readonly kind: 'function' | 'service' | 'pool';
  /** The placeholder of the Resource: a TaskFunction_<id> or SERVICE_INVOKER_PLACEHOLDER; for a pooled task, its lane's queue URL (PoolQueue_<pool>_<lane>). */
  readonly placeholder: string;
}

/** All service tasks run through one shared invoker Lambda. */
export const SERVICE_INVOKER_PLACEHOLDER = 'ServiceInvoker';
