import type { WorkflowConfig } from '../../core/contracts/workflow-entry.ts';
import { NotFound } from '../../core/errors.ts';

/** The workflow's configuration, or NotFound. */
export function findWorkflow(deps: { readonly workflows: Readonly<Record<string, WorkflowConfig>> }, name: string): WorkflowConfig {
  const workflow = Object.hasOwn(deps.workflows, name) ? deps.workflows[name] : undefined;
  if (!workflow) throw new NotFound(`unknown workflow "${name}"`, { code: 'unknown_workflow' });
  return workflow;
}
