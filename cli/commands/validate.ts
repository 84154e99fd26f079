import { formatDiagnostic, hasErrors } from '../../core/definition/diagnostics.ts';
import { loadDefinition } from '../../project/definition-files.ts';
import { checkWorkflow } from '../../core/compiler/compile.ts';
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
      // What the compiler finds (AWS limits, waits it adds) is part of validating what will run.
      const compiled = definition ? checkWorkflow(definition).diagnostics.map((d) => ({ ...d, file })) : [];
      const all = [...diagnostics, ...compiled];
      for (const d of all) io.err(formatDiagnostic(d) + '\n');
      if (hasErrors(all)) failed++;
      else io.err(`✔ ${file}: workflow "${definition!.name}", ${definition!.tasks.length} tasks\n`);
    }
    return failed ? 1 : 0;
  },
};
