import { formatDiagnostic, hasErrors } from '../../core/definition/diagnostics.ts';
import { loadDefinition } from '../../project/definition-files.ts';
import { compileWorkflow } from '../../core/compiler/compile.ts';
import { parse, UsageError } from '../args.ts';
import type { Command } from '../io.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check definitions; one diagnostic a line on stderr',
  usage: 'validate <file...>',
  async run(argv, io) {
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
  },
};
