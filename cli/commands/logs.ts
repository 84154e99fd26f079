import { join, resolve } from 'node:path';
import { ExecutionLogFiles } from '../../local/logs/execution-log-files.ts';
import { taskLogLine } from '../../local/logs/readable-lines.ts';
import { parse, UsageError } from '../args.ts';
import type { CliIo } from '../io.ts';

/**
 * `stepflow logs <executionId> [--workflow NAME] [--data-dir DIR] [--json]`: the task log lines the dev stack
 * kept for one execution, readable or as JSON lines. Exit 1 when there are none.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { workflow: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
  const [executionId] = positionals;
  if (!executionId) throw new UsageError('an execution id is required');
  const files = new ExecutionLogFiles(join(resolve(values['data-dir'] ?? '.stepflow'), 'logs'));
  const workflow = values.workflow ?? (await files.workflowOf(executionId));
  const lines = workflow ? await files.read(workflow, executionId) : [];
  if (lines.length === 0) {
    io.err(`no log lines kept for execution "${executionId}"${workflow ? ` of ${workflow}` : ''}\n`);
    return 1;
  }
  for (const line of lines) io.out((values.json ? JSON.stringify(line) : taskLogLine(JSON.stringify(line)).trimStart()) + '\n');
  return 0;
}
