import { compileWorkflow } from '../../core/compiler/compile.ts';
import { parse } from '../args.ts';
import { loadForCommand } from '../definition-input.ts';
import type { Command } from '../io.ts';

export const compileCommand: Command = {
  name: 'compile',
  summary: 'print the Amazon States Language of a workflow (or its whole plan with --plan)',
  usage: 'compile <file> [--plan]',
  async run(argv, io) {
    const { positionals, values } = parse(argv, { plan: { type: 'boolean' } });
    const definition = loadForCommand(positionals[0], io);
    if (!definition) return 1;
    const plan = compileWorkflow(definition);
    io.out(JSON.stringify(values.plan ? plan : plan.asl, null, 2) + '\n');
    return 0;
  },
};
