import type { StateMachineDefinition } from '../asl/index.ts';
import type { Diagnostic } from '../definition/diagnostics.ts';
import type { HandlerRef, SchedulingLimits, ServiceDefinition } from '../definition/model.ts';
import type { TriggerPlan } from './triggers.ts';
import type { AlertSettings } from '../definition/alerts.ts';
import type { PoolDefinition } from '../definition/pool-model.ts';
import type { SqsQueueRef } from '../definition/callback-channel.ts';

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
  /** Alarm thresholds on AWS (defaults when absent). */
  readonly alerts?: AlertSettings;
  /** Worker pools declared beside the workflow; pooled Task states send to their lanes' queues. @default none */
  readonly pools?: readonly PoolDefinition[];
  /** How the tasks run, and what that is predicted to cost (absent from plans not made by the compiler). */
  readonly strategy?: StrategyPlan;
  /** Compiler warnings, e.g. tasks that wait for tasks they do not depend on. */
  readonly warnings: readonly Diagnostic[];
}

/**
 * How a workflow's tasks run: `sequential` (one at a time), `nested` (Parallel and Map states), or
 * `gated` (every task in its own branch, released by the coordinator once its dependencies are done;
 * the ASL's `${Coordinator}` placeholder). Predictions take the tasks' estimates as durations (equal
 * durations when none is given).
 */
export interface StrategyPlan {
  readonly kind: 'sequential' | 'nested' | 'gated';
  /** Why the compiler chose it. */
  readonly reason: string;
  /** Predicted makespan ÷ the ideal: the critical path, or list scheduling under max_concurrent_tasks. */
  readonly makespanRatio: number;
  /** The nested form's predicted ratio, when another form was chosen over it. */
  readonly nestedMakespanRatio?: number;
  /** State transitions of one execution where every task succeeds (Standard workflows bill each one). */
  readonly transitions: number;
  /** The cap the state machine enforces (Map MaxConcurrency, lanes, or the coordinator). */
  readonly maxConcurrentTasks?: number;
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
  /**
   * What the state calls: the task's function, the service invoker, a pool lane's queue (`pool`), or the
   * coordinator, to wait for the task's release (`gate`) or to report its output (`done`).
   */
  readonly kind: 'function' | 'service' | 'pool' | 'gate' | 'done' | 'event' | 'queue';
  /**
   * The placeholder of the Resource (or FunctionName): a TaskFunction_<id>, SERVICE_INVOKER_PLACEHOLDER or
   * COORDINATOR_PLACEHOLDER; for a pooled task, its lane's queue URL (PoolQueue_<pool>_<lane>); for a callback
   * via event, PROJECT_BUS_PLACEHOLDER or the bus written in the definition; via sqs, the queue the stack
   * creates (CallbackQueue_<workflow>_<task>) or the URL written in the definition.
   */
  readonly placeholder: string;
  /** A callback via event or sqs: the bus (undefined: the project bus) or the queue (undefined: created). */
  readonly channel?: CallbackChannelPlan;
}

/** All service tasks run through one shared invoker Lambda. */
export const SERVICE_INVOKER_PLACEHOLDER = 'ServiceInvoker';

/** The gated strategy's coordinator Lambda (`functions/coordinator/`), one per project. */
export const COORDINATOR_PLACEHOLDER = 'Coordinator';

/** Where a callback via event or sqs hands its token out: the bus (undefined: the project bus) or the queue (undefined: created). */
export type CallbackChannelPlan =
  | { readonly kind: 'event'; readonly bus?: string }
  | { readonly kind: 'queue'; readonly queue?: SqsQueueRef };
