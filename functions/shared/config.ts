import { z } from 'zod';
import { ConfigurationError } from './errors.ts';

/** One deployed workflow, as the API and the recorder know it. */
export interface WorkflowConfig {
  readonly stateMachineArn: string;
  /** JSON Schema the execution input must satisfy. */
  readonly inputSchema?: Record<string, unknown>;
  /** @default 'STANDARD' */
  readonly mode: 'STANDARD' | 'EXPRESS';
}

export interface RuntimeConfig {
  /** DynamoDB table holding executions (`STEPFLOW_TABLE`). */
  readonly table: string;
  /** Deployed workflows by name (`STEPFLOW_WORKFLOWS`). */
  readonly workflows: Readonly<Record<string, WorkflowConfig>>;
  /** @default 'us-east-1' */
  readonly region: string;
}

const workflowConfigSchema = z.object({
  stateMachineArn: z.string().min(1),
  inputSchema: z.record(z.string(), z.unknown()).optional(),
  mode: z.enum(['STANDARD', 'EXPRESS']).default('STANDARD'),
});

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
  AWS_REGION: regionSchema,
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
    workflows: parsed.data.STEPFLOW_WORKFLOWS,
    region: parsed.data.AWS_REGION,
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
