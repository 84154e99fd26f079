/**
 * A definition after validation: defaults applied, durations in seconds, handler paths resolved.
 * The compiler and every backend read this, never the raw YAML.
 */
export interface WorkflowDefinition {
  readonly name: string;
  readonly description?: string;
  /** Absolute path of the definition file. */
  readonly file: string;
  readonly inputSchema?: Record<string, unknown>;
  readonly engine: EngineSettings;
  readonly services: Readonly<Record<string, ServiceDefinition>>;
  readonly tasks: readonly TaskDefinition[];
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
}

export interface ServiceDefinition {
  readonly name: string;
  readonly url: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
}

export interface HandlerRef {
  /** Absolute path of the module. */
  readonly file: string;
  readonly exportName: string;
}

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
  readonly type: 'function' | 'service';
  readonly description?: string;
  /** For `function` tasks. */
  readonly handler?: HandlerRef;
  /** For `service` tasks: the service name. */
  readonly service?: string;
  readonly timeoutSeconds?: number;
  readonly retries: number;
  readonly backoff: BackoffSettings;
  readonly dependsOn: readonly string[];
  readonly onFailure: FailurePolicy;
  readonly memoryMb?: number;
}

/** Step Functions' defaults for a Retrier: IntervalSeconds 1, BackoffRate 2.0, no jitter. */
export const DEFAULT_BACKOFF: BackoffSettings = { intervalSeconds: 1, rate: 2, jitter: 'none' };
export const DEFAULT_SERVICE_TIMEOUT_SECONDS = 30;
