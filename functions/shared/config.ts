import { z } from 'zod';
import { bundledWorkflows } from './bundled-registry.ts';
import { ConfigurationError } from '../../core/errors.ts';
import { workflowConfigSchema, type WorkflowConfig } from '../../core/contracts/workflow-entry.ts';
import { poolsConfig, poolsEnvSchema, type PoolsConfig } from './pools-config.ts';

/** Where run-time schedules and event rules go (EventBridge Scheduler and EventBridge). */
export interface SchedulingConfig {
  /** Scheduler schedule group (`STEPFLOW_SCHEDULE_GROUP`). @default 'default' */
  readonly scheduleGroup: string;
  /** The dispatcher Lambda every schedule and rule targets (`STEPFLOW_DISPATCHER_ARN`). */
  readonly dispatcherArn?: string;
  /** The role Scheduler assumes to invoke the dispatcher (`STEPFLOW_SCHEDULER_ROLE_ARN`). */
  readonly schedulerRoleArn?: string;
  /**
   * SQS queue receiving the fires of schedules and of event rules created through the API that no target
   * took after every retry (`STEPFLOW_SCHEDULE_DLQ_ARN`, the trigger targets' dead-letter queue).
   */
  readonly deadLetterArn?: string;
  /** Retries of the target of an event rule created through the API (`STEPFLOW_TRIGGER_RETRY_ATTEMPTS`). @default 8 */
  readonly retryAttempts?: number;
  /** How long EventBridge keeps retrying such a target, in seconds (`STEPFLOW_TRIGGER_MAX_EVENT_AGE`). @default 3600 */
  readonly maxEventAgeSeconds?: number;
  /** The project's event bus (`STEPFLOW_EVENT_BUS`). @default 'default' */
  readonly eventBus: string;
}

/** Where the AWS SDK clients go. */
export interface AwsSettings {
  /** @default 'us-east-1' */
  readonly region: string;
  /** Explicit endpoints by service; absent ones come from AWS_ENDPOINT_URL_<SERVICE> or AWS itself. */
  readonly endpoints?: Readonly<Partial<Record<'dynamodb' | 'sfn' | 'scheduler' | 'eventbridge' | 'servicediscovery' | 'sqs' | 'lambda', string>>>;
  /**
   * Leave out the `sync-` host prefix of StartSyncExecution, which only AWS's own endpoints resolve: on when
   * an endpoint is overridden (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_SFN` or `endpoints.sfn`).
   * @default false
   */
  readonly disableHostPrefix?: boolean;
  /** Explicit credentials (the offline servers take dummy ones); absent: the SDK's default chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface RuntimeConfig {
  /** DynamoDB table holding executions (`STEPFLOW_TABLE`). */
  readonly table: string;
  /**
   * Deployed workflows by name: the registry bundled into a deployed Lambda (see bundled-registry.ts),
   * then `STEPFLOW_WORKFLOWS` (the offline stack), which wins for a name in both.
   */
  readonly workflows: Readonly<Record<string, WorkflowConfig>>;
  readonly aws: AwsSettings;
  readonly scheduling: SchedulingConfig;
  /** The deployed pools the API serves (`STEPFLOW_POOLS`). @default none */
  readonly pools?: PoolsConfig;
}

export type Env = Readonly<Record<string, string | undefined>>;

const jsonText = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON' });
    return z.NEVER;
  }
});

const envSchema = z.object({
  STEPFLOW_TABLE: z.string().min(1),
  STEPFLOW_WORKFLOWS: jsonText.pipe(z.record(z.string(), workflowConfigSchema)).default({}),
  STEPFLOW_STATE_MACHINE_ARN_PREFIX: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  STEPFLOW_SCHEDULE_GROUP: z.string().min(1).default('default'),
  STEPFLOW_DISPATCHER_ARN: z.string().min(1).optional(),
  STEPFLOW_SCHEDULER_ROLE_ARN: z.string().min(1).optional(),
  STEPFLOW_SCHEDULE_DLQ_ARN: z.string().min(1).optional(),
  STEPFLOW_EVENT_BUS: z.string().min(1).default('default'),
  // EventBridge's bounds (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html).
  STEPFLOW_TRIGGER_RETRY_ATTEMPTS: z.coerce.number().int().min(0).max(185).default(8),
  STEPFLOW_TRIGGER_MAX_EVENT_AGE: z.coerce.number().int().min(60).max(86_400).default(3600),
  STEPFLOW_POOLS: jsonText.pipe(poolsEnvSchema).optional(),
});

/**
 * The runtime configuration of a deployed handler, read from its environment (a value: each Lambda
 * entry point reads it once, when it builds its dependencies). Throws ConfigurationError naming every
 * bad variable.
 */
export function loadConfig(env: Env, bundledRegistry?: unknown): RuntimeConfig {
  const parsed = envSchema.safeParse({ ...env, AWS_REGION: env.AWS_REGION || undefined });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigurationError(`invalid environment: ${problems.join('; ')}`, { cause: parsed.error });
  }
  const vars = parsed.data;
  return {
    table: vars.STEPFLOW_TABLE,
    workflows: { ...bundledWorkflows(vars.STEPFLOW_STATE_MACHINE_ARN_PREFIX, bundledRegistry), ...vars.STEPFLOW_WORKFLOWS },
    aws: { region: vars.AWS_REGION, ...(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_SFN ? { disableHostPrefix: true } : {}) },
    scheduling: {
      scheduleGroup: vars.STEPFLOW_SCHEDULE_GROUP,
      eventBus: vars.STEPFLOW_EVENT_BUS,
      retryAttempts: vars.STEPFLOW_TRIGGER_RETRY_ATTEMPTS,
      maxEventAgeSeconds: vars.STEPFLOW_TRIGGER_MAX_EVENT_AGE,
      ...(vars.STEPFLOW_DISPATCHER_ARN ? { dispatcherArn: vars.STEPFLOW_DISPATCHER_ARN } : {}),
      ...(vars.STEPFLOW_SCHEDULER_ROLE_ARN ? { schedulerRoleArn: vars.STEPFLOW_SCHEDULER_ROLE_ARN } : {}),
      ...(vars.STEPFLOW_SCHEDULE_DLQ_ARN ? { deadLetterArn: vars.STEPFLOW_SCHEDULE_DLQ_ARN } : {}),
    },
    ...(vars.STEPFLOW_POOLS ? { pools: poolsConfig(vars.STEPFLOW_POOLS) } : {}),
  };
}
