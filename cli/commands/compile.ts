import { checkWorkflow } from '../../core/compiler/compile.ts';
import type { StrategyPlan } from '../../core/compiler/plan.ts';
import { formatDiagnostic } from '../../core/definition/diagnostics.ts';
import { parse } from '../args.ts';
import { loadForCommand } from '../definition-input.ts';
import type { CliIo } from '../io.ts';

/**
 * `stepflow compile <file> [--plan]`: the ASL (or the whole plan) on stdout; with --plan, how the tasks
 * run on stderr. Resolves to the exit code.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(argv, { plan: { type: 'boolean' } });
  const definition = loadForCommand(positionals[0], io);
  if (!definition) return 1;
  const { plan, diagnostics } = checkWorkflow(definition);
  for (const d of diagnostics) io.err(formatDiagnostic({ ...d, file: positionals[0] }) + '\n');
  if (!plan) return 1;
  io.out(JSON.stringify(values.plan ? plan : plan.asl, null, 2) + '\n');
  if (values.plan && plan.strategy) io.err(strategyLine(plan.strategy) + '\n');
  return 0;
}

/** `strategy: gated (…); predicted makespan 1.00× the ideal (nested: 1.40×); 13 transitions per execution` */
export function strategyLine(s: StrategyPlan): string {
  const nested = s.nestedMakespanRatio !== undefined ? ` (nested: ${s.nestedMakespanRatio.toFixed(2)}×)` : '';
  const cap = s.maxConcurrentTasks !== undefined ? `, at most ${s.maxConcurrentTasks} tasks at once` : '';
  return `strategy: ${s.kind} (${s.reason}); predicted makespan ${s.makespanRatio.toFixed(2)}× the ideal${nested}${cap}; ${s.transitions} transitions per execution`;
}
