import { formatDiagnostic, hasErrors } from '../../core/definition/diagnostics.ts';
import { loadDefinition } from '../../project/definition-files.ts';
import { compileWorkflow } from '../../core/compiler/compile.ts';
import { parse, UsageError } from '../args.ts';
import type { CliIo } from '../io.ts';

/** `stepflow validate <file...>`: resolves to the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { positionals } = parse(argv, {});
  if (positionals.length === 0) throw new UsageError('give at least one definition file');
  let failed = 0;
  for (const file of positionals) {
    const { definition, diagnostics } = loadDefinition(file);
    // Compiler warnings (serialised edges) are part of validating what will run.
    const warnings = definition ? compileWorkflow(definition).warnings.map((w) => ({ ...w, file })) : [];
    for (const d of [...diagnostics, ...warnings]) io.err(formatDiagnostic(d) + '\n');
    if (hasErrors(diagnostics)) failed++;
    else io.err(`✔ ${file}: workflow "${definition!.name}", ${definition!.tasks.length} tasks\n`);
  }
  return failed ? 1 : 0;
}
