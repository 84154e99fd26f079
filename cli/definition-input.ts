import { hasErrors, formatDiagnostic } from '../core/definition/diagnostics.ts';
import { loadDefinition } from '../project/definition-files.ts';
import type { WorkflowDefinition } from '../core/definition/model.ts';
import { UsageError } from './args.ts';
import type { CliIo } from './io.ts';

/** Loads one definition for a command; prints diagnostics on stderr; undefined when it has errors. */
export function loadForCommand(file: string | undefined, io: CliIo): WorkflowDefinition | undefined {
  if (!file) throw new UsageError('a definition file is required');
  const { definition, diagnostics } = loadDefinition(file);
  for (const d of diagnostics) io.err(formatDiagnostic(d) + '\n');
  return hasErrors(diagnostics) ? undefined : definition;
}
