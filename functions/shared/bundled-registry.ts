import { z } from 'zod';
import { bundledEntrySchema, type WorkflowConfig } from '../../core/contracts/workflow-entry.ts';
import { ConfigurationError } from '../../core/errors.ts';

declare global {
  /**
   * The workflow registry, compiled into a Lambda bundle by esbuild (`--define`, see
   * infra/constructs/private/registry.ts). Undefined where nothing defines it: offline, in tests.
   */
  var __STEPFLOW_REGISTRY__: unknown;
}

const registrySchema = z.object({ workflows: z.record(z.string(), bundledEntrySchema) });

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
