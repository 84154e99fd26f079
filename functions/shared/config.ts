import { z } from 'zod';
import { bundledWorkflows } from './bundled-registry.ts';
import { ConfigurationError } from '../../core/errors.ts';
import { workflowConfigSchema, type WorkflowConfig } from '../../core/contracts/workflow-entry.ts';

/** Where run-time schedules and event rules go (EventBridge Scheduler and EventBridge). */
export interface SchedulingConfig {
  /** Scheduler schedule group (`STEPFLOW_SCHEDULE_GROUP`). @default 'default' */
  readonly scheduleGroup: string;
  /** The dispatcher Lambda every schedule and rule targets (`STEPFLOW_DISPATCHER_ARN`). */
  readonly dispatcherArn?: string;
  /** The role Scheduler assumes to invoke the dispatcher (`STEPFLOW_SCHEDULER_ROLE_ARN`). */
  readonly schedulerRoleArn?: string;
  /** SQS queue receiving invocations Scheduler gave up on (`STEPFLOW_SCHEDULE_DLQ_ARN`). */
  readonly deadLetterArn?: string;
  /** The project's event bus (`STEPFLOW_EVENT_BUS`). @default 'default' */
  readonly eventBus: string;
}

export interface RuntimeConfig {
  /** DynamoDB table holding executions (`STEPFLOW_TABLE`). */
  readonly table: string;
  /**
   * Deployed workflows by name: the registry bundled into a deployed Lambda (see bundled-registry.ts),
   * then `STEPFLOW_WORKFLOWS` (the offline stack), which wins for a name in both.
   */
  readonly workflows: Readonly<Record<string, WorkflowConfig>>;
  /** @default 'us-east-1' */
  readonly region: string;
  readonly scheduling: SchedulingConfig;
}

const jsonText = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON' });
    return z.NEVER;
  }
});

const regionSchema = z.string().min(1).default('us-east-1');

const envSchema = z.object({
  STEPFLOW_TABLE: z.string().min(1),
  STEPFLOW_WORKFLOWS: jsonText.pipe(z.record(z.string(), workflowConfigSchema)).default({}),
  STEPFLOW_STATE_MACHINE_ARN_PREFIX: z.string().min(1).optional(),
  AWS_REGION: regionSchema,
  STEPFLOW_SCHEDULE_GROUP: z.string().min(1).default('default'),
  STEPFLOW_DISPATCHER_ARN: z.string().min(1).optional(),
  STEPFLOW_SCHEDULER_ROLE_ARN: z.string().min(1).optional(),
  STEPFLOW_SCHEDULE_DLQ_ARN: z.string().min(1).optional(),
  STEPFLOW_EVENT_BUS: z.string().min(1).default('default'),
});

let cached: RuntimeConfig | undefined;

/**
 * The runtime configuration, parsed from the environment on first use and then kept (a Lambda's
 * environment does not change). Lazy so that tests can set the environment first.
 */
export function config(): RuntimeConfig {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigurationError(`invalid environment: ${problems.join('; ')}`, { cause: parsed.error });
  }
  cached = {
    table: parsed.data.STEPFLOW_TABLE,
    workflows: { ...bundledWorkflows(parsed.data.STEPFLOW_STATE_MACHINE_ARN_PREFIX), ...parsed.data.STEPFLOW_WORKFLOWS },
    region: parsed.data.AWS_REGION,
    scheduling: {
      scheduleGroup: parsed.data.STEPFLOW_SCHEDULE_GROUP,
      eventBus: parsed.data.STEPFLOW_EVENT_BUS,
      ...(parsed.data.STEPFLOW_DISPATCHER_ARN ? { dispatcherArn: parsed.data.STEPFLOW_DISPATCHER_ARN } : {}),
      ...(parsed.data.STEPFLOW_SCHEDULER_ROLE_ARN ? { schedulerRoleArn: parsed.data.STEPFLOW_SCHEDULER_ROLE_ARN } : {}),
      ...(parsed.data.STEPFLOW_SCHEDULE_DLQ_ARN ? { deadLetterArn: parsed.data.STEPFLOW_SCHEDULE_DLQ_ARN } : {}),
    },
  };
  return cached;
}

/** The AWS region alone, for code that needs no table (e.g. SDK clients). */
export function awsRegion(): string {
  return regionSchema.parse(process.env.AWS_REGION || undefined);
}

/** Forget the parsed configuration (tests change the environment between suites). */
export function resetConfig(): void {
  cached = undefined;
}
