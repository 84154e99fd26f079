import { workflowMermaid } from '../../core/compiler/mermaid.ts';
import { parse } from '../args.ts';
import { loadForCommand } from '../definition-input.ts';
import type { CliIo } from '../io.ts';

/** `stepflow graph <file>`: resolves to the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { positionals } = parse(argv, {});
  const definition = loadForCommand(positionals[0], io);
  if (!definition) return 1;
  io.out(workflowMermaid(definition));
  return 0;
}
