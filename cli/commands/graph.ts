import { workflowMermaid } from '../../core/compiler/mermaid.ts';
import { parse } from '../args.ts';
import { loadForCommand } from '../definition-input.ts';
import type { Command } from '../io.ts';

export const graphCommand: Command = {
  name: 'graph',
  summary: 'print a Mermaid diagram of a workflow',
  usage: 'graph <file>',
  async run(argv, io) {
    const { positionals } = parse(argv, {});
    const definition = loadForCommand(positionals[0], io);
    if (!definition) return 1;
    io.out(workflowMermaid(definition));
    return 0;
  },
};
