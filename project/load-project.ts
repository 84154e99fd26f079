import { readdirSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { checkWorkflow } from '../core/compiler/compile.ts';
import type { WorkflowPlan } from '../core/compiler/plan.ts';
import { hasErrors, type Diagnostic } from '../core/definition/diagnostics.ts';
import { loadDefinition } from './definition-files.ts';

export const DEFINITION_EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface ProjectPlans {
  readonly plans: readonly WorkflowPlan[];
  /** Every diagnostic of every file, warnings included; a file with errors yields no plan. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Definition files directly in `dir`, sorted, JSON Schema files excepted. */
export function definitionFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => DEFINITION_EXTENSIONS.includes(extname(f)) && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => join(dir, f));
}

/** Loads and compiles every definition in a folder; workflow names must be unique across files. */
export function loadProject(dir = 'definitions', options: { projectRoot?: string } = {}): ProjectPlans {
  const plans: WorkflowPlan[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const file of definitionFiles(dir)) {
    const shown = relative(process.cwd(), resolve(file));
    const loaded = loadDefinition(shown, options);
    diagnostics.push(...loaded.diagnostics);
    if (!loaded.definition || hasErrors(loaded.diagnostics)) continue;
    const { name } = loaded.definition;
    if (seen.has(name)) {
      diagnostics.push({ code: 'duplicate_workflow', severity: 'error', file: shown, path: ['workflow', 'name'], message: `workflow "${name}" is already defined in ${seen.get(name)}` });
      continue;
    }
    seen.set(name, shown);
    // The compiler reports what AWS would refuse (limits) besides its warnings.
    const compiled = checkWorkflow(loaded.definition, options);
    diagnostics.push(...compiled.diagnostics.map((d) => ({ ...d, file: shown })));
    if (compiled.plan) plans.push(compiled.plan);
  }
  return { plans, diagnostics };
}
