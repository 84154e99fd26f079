import { z } from 'zod';
import type { WorkflowConfig } from './config.ts';
import { ConfigurationError } from './errors.ts';
import { workflowEntryFields } from './workflow-entry.ts';

declare global {
  /**
   * The workflow registry, compiled into a Lambda bundle by esbuild (`--define`, see
   * infra/constructs/private/registry.ts). Undefined where nothing defines it: offline, in tests.
   */
  var __STEPFLOW_REGISTRY__: unknown;
}

/** One deployed workflow as the bundled registry gives it: its state machine by name, not by ARN. */
const entrySchema = z.object({ stateMachineName: z.string().min(1), ...workflowEntryFields });

const registrySchema = z.object({ workflows: z.record(z.string(), entrySchema) });

/**
 * The workflows of the bundled registry, their ARNs completed with `arnPrefix`
 * (`STEPFLOW_STATE_MACHINE_ARN_PREFIX`: `arn:<partition>:states:<region>:<account>:stateMachine:`).
 * Empty when no registry was bundled. Throws ConfigurationError when the registry is malformed or the
 * prefix is missing.
 */
export function bundledWorkflows(arnPrefix: string | undefined, registry: unknown = globalThis.__STEPFLOW_REGISTRY__): Record<string, WorkflowConfig> {
  if (registry === undefined) return {};
  const parsed = registrySchema.safeParse(registry);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(registry)'}: ${issue.message}`);
    throw new ConfigurationError(`invalid bundled workflow registry: ${problems.join('; ')}`, { cause: parsed.error });
  }
  if (!arnPrefix) throw new ConfigurationError('STEPFLOW_STATE_MACHINE_ARN_PREFIX: required with a bundled workflow registry');
  return Object.fromEntries(
    Object.entries(parsed.data.workflows).map(([name, { stateMachineName, ...rest }]) => [name, { stateMachineArn: `${arnPrefix}${stateMachineName}`, ...rest }]),
  );
}
