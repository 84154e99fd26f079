import { formatDiagnostic, hasErrors } from '../../core/definition/diagnostics.ts';
import { loadDefinition } from '../../project/definition-files.ts';
import { checkWorkflow } from '../../core/compiler/compile.ts';
import { parse, UsageError } from '../args.ts';
import type { CliIo } from '../io.ts';

/** `stepflow validate <file...>`: resolves to the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { positionals } = parse(argv, {});
  if (positionals.length === 0) throw new UsageError('give at least one definition file');
  let failed = 0;
  for (const file of positionals) {
    const { definition, diagnostics } = loadDefinition(file);
    // What the compiler finds (AWS limits, waits it adds) is part of validating what will run.
    const compiled = definition ? checkWorkflow(definition).diagnostics.map((d) => ({ ...d, file })) : [];
    const all = [...diagnostics, ...compiled];
    for (const d of all) io.err(formatDiagnostic(d) + '\n');
    if (hasErrors(all)) failed++;
    else io.err(`✔ ${file}: workflow "${definition!.name}", ${definition!.tasks.length} tasks\n`);
  }
  return failed ? 1 : 0;
}
