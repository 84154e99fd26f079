import type { AlertSettings } from './alerts.ts';
import type { AggregationSettings, ServiceOrchestration } from './orchestration-model.ts';
import type { HandlerRef } from './handler-ref.ts';
import type { PoolDefinition, PooledTask } from './pool-model.ts';
import type { FanOutDefinition, StageDefinition } from './fan-out.ts';
import type { CallbackChannel } from './callback-channel.ts';

/**
 * A definition after validation: defaults applied, durations in seconds, handler paths resolved.
 * The compiler and every backend read this, never the raw YAML.
 */
export interface WorkflowDefinition {
  readonly name: string;
  readonly description?: string;
  /** Absolute path of the definition file. */
  readonly file: string;
  /** Folder handler ids are relative to (the definition's project). */
  readonly projectRoot: string;
  readonly inputSchema?: Record<string, unknown>;
  readonly engine: EngineSettings;
  readonly services: Readonly<Record<string, ServiceDefinition>>;
  readonly tasks: readonly TaskDefinition[];
  readonly triggers: readonly TriggerDefinition[];
  readonly scheduling: SchedulingLimits;
  /** Alarm thresholds on AWS (`alerts:`). */
  readonly alerts?: AlertSettings;
  /** Worker pools declared in the file. @default none */
  readonly pools?: readonly PoolDefinition[];
  /** A pipeline's stages in order, with the tasks each became (absent for a definition with `tasks`). */
  readonly stages?: readonly StageDefinition[];
  /** Line of each task's entry in the file, by task name, for diagnostics found after loading. */
  readonly lines?: Readonly<Record<string, number>>;
}

export interface EngineSettings {
  readonly type: 'sequential' | 'parallel';
  /** @default unbounded */
  readonly maxConcurrentTasks?: number;
  /** Whole-execution timeout in seconds. */
  readonly timeoutSeconds?: number;
  readonly retryAttempts: number;
  readonly mode: 'standard' | 'express';
  /**
   * How a parallel engine runs the dependency graph: `nested` Parallel states, `gated` (every task in its
   * own branch, released by the coordinator once its dependencies are done), or `auto`.
   * @default 'auto'
   */
  readonly dag?: DagStrategy;
}

export type DagStrategy = 'auto' | 'nested' | 'gated';

export interface ServiceDefinition {
  readonly name: string;
  /** Absent for an orchestrated service whose instances are discovered. */
  readonly url?: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  /** Instances, balancing, health, breaker and fallback (functions/orchestration). */
  readonly orchestration?: ServiceOrchestration;
}

export type { HandlerRef } from './handler-ref.ts';

export interface BackoffSettings {
  readonly intervalSeconds: number;
  readonly rate: number;
  readonly maxDelaySeconds?: number;
  readonly jitter: 'full' | 'none';
}

export type FailurePolicy =
  | { readonly kind: 'fail' }
  | { readonly kind: 'continue' }
  /** Run another task instead; the failed task's dependants then run as if it had completed. */
  | { readonly kind: 'fallback'; readonly task: string };

export interface TaskDefinition {
  readonly name: string;
  /** `callback`: the service gets the task token and the state waits until it is answered. */
  readonly type: 'function' | 'service' | 'callback' | 'approval';
  /** For `approval` tasks: who may decide (free text), and how long the approval waits (its TimeoutSeconds). */
  readonly approval?: { readonly approvers?: string; readonly expiresSeconds: number };
  /** For `callback` tasks: how the token is handed out (an HTTP POST, an EventBridge event, an SQS message). */
  readonly callback?: CallbackChannel;
  /** For `callback` tasks: past this long without a heartbeat the task fails with States.HeartbeatTimeout. */
  readonly heartbeatSeconds?: number;
  readonly description?: string;
  /** For `function` tasks. */
  readonly handler?: HandlerRef;
  /** For `service` tasks and `callback` tasks via http: the service name. */
  readonly service?: string;
  /** For `service` tasks with `services: [...]`: scatter-gather over them. */
  readonly aggregate?: AggregationSettings;
  readonly timeoutSeconds?: number;
  /** Expected run time in seconds, the compiler's weight for this task. @default the same for every task */
  readonly estimateSeconds?: number;
  readonly retries: number;
  readonly backoff: BackoffSettings;
  readonly dependsOn: readonly string[];
  readonly onFailure: FailurePolicy;
  readonly memoryMb?: number;
  /** Set when the task runs as a job of a pool rather than its own Lambda. */
  readonly pool?: PooledTask;
  /** What undoes the task when the workflow fails after it completed (a saga). */
  readonly compensate?: CompensationDefinition;
  /** A pipeline's fan-out stage: this task runs once per item (a Map state). */
  readonly fanOut?: FanOutDefinition;
}

/** A task's compensation: a handler or a service, retried with its own policy. */
export interface CompensationDefinition {
  readonly handler?: HandlerRef;
  readonly service?: string;
  readonly retries: number;
  readonly backoff: BackoffSettings;
}

/** Step Functions' defaults for a Retrier: IntervalSeconds 1, BackoffRate 2.0, no jitter. */
export const DEFAULT_BACKOFF: BackoffSettings = { intervalSeconds: 1, rate: 2, jitter: 'none' };
export const DEFAULT_SERVICE_TIMEOUT_SECONDS = 30;

/** Checked at fire time; a fire that fails it is skipped and recorded with the reason. */
export interface TriggerCondition {
  /** A state flag that must equal `equals` (default true). */
  readonly flag?: { readonly name: string; readonly equals: boolean | string | number };
  /** An event pattern the fire must match: the event, or `{ time, trigger }` for schedules. */
  readonly match?: Record<string, unknown>;
}

export type EventInput =
  | { readonly kind: 'event' }
  | { readonly kind: 'path'; readonly path: string }
  /** Strings `<$.detail.x>` inside are replaced by the value at that path. */
  | { readonly kind: 'template'; readonly template: unknown };

export interface ScheduleTrigger {
  readonly kind: 'schedule';
  readonly name: string;
  /** As written: Unix cron, `cron(...)`, `rate(...)` or `at(...)`. */
  readonly expression: string;
  readonly timezone: string;
  readonly input: unknown;
  readonly enabled: boolean;
  /** Fires that fell while the offline stack was down run late at its next start (else they are recorded missed). @default false */
  readonly catchup?: boolean;
  readonly condition?: TriggerCondition;
}

export interface EventTrigger {
  readonly kind: 'event';
  readonly name: string;
  readonly pattern: Record<string, unknown>;
  /** `default` for the account's default bus; undefined for the project bus. */
  readonly bus?: string;
  readonly input: EventInput;
  readonly enabled: boolean;
  readonly condition?: TriggerCondition;
}

export type TriggerDefinition = ScheduleTrigger | EventTrigger;

/** The `task_scheduling` block, in the units the backends use. */
export interface SchedulingLimits {
  readonly cronEnabled: boolean;
  readonly eventEnabled: boolean;
  /** Most schedules, declared and created through the API. */
  readonly maxJobs?: number;
  /** Most event-triggered starts per minute. */
  readonly maxEvents?: number;
  /** Lambda memory for every task function (from memory_limit and cpu_limit). */
  readonly taskMemoryMb?: number;
  /** Lambda ephemeral storage for every task function (from disk_limit). */
  readonly taskEphemeralStorageMb?: number;
}
