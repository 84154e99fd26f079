import { compileWorkflow } from '../../core/compiler/compile.ts';
import { parse } from '../args.ts';
import { loadForCommand } from '../definition-input.ts';
import type { CliIo } from '../io.ts';

/** `stepflow compile <file> [--plan]`: resolves to the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(argv, { plan: { type: 'boolean' } });
  const definition = loadForCommand(positionals[0], io);
  if (!definition) return 1;
  const plan = compileWorkflow(definition);
  io.out(JSON.stringify(values.plan ? plan : plan.asl, null, 2) + '\n');
  return 0;
}
