import { UsageError } from './args.ts';
import { processIo, type CliIo, type Command } from './io.ts';

/** What each command module exports: its implementation, resolving to the exit code. */
type CommandModule = { run: Command['run'] };

/**
 * A command known by its name, usage and summary; its module is imported only when it runs, so
 * `validate` or `compile` never load CDK, the AWS SDK, dynalite or the offline engine.
 */
function lazy(name: string, usage: string, summary: string, load: () => Promise<CommandModule>): Command {
  return { name, usage, summary, run: async (argv, io) => (await load()).run(argv, io) };
}

const COMMANDS: readonly Command[] = [
  lazy('validate', 'validate <file...>', 'check definitions; one diagnostic a line on stderr', () => import('./commands/validate.ts')),
  lazy(
    'compile',
    'compile <file> [--plan]',
    'print the Amazon States Language of a workflow (or its whole plan with --plan, and how it runs on stderr)',
    () => import('./commands/compile.ts'),
  ),
  lazy('graph', 'graph <file>', 'print a Mermaid diagram of a workflow', () => import('./commands/graph.ts')),
  lazy(
    'run',
    'run <file> [--input JSON | --input-file F] [--json] [--verbose]',
    'run a workflow offline, reporting each task on stderr',
    () => import('./commands/run.ts'),
  ),
  lazy(
    'dev',
    'dev [--port N] [--aws-port N] [--definitions DIR] [--data-dir DIR] [--json-logs]',
    'serve every definition offline: engine, emulators on one AWS endpoint (4599), the API and console on 127.0.0.1 (npm start)',
    () => import('./commands/dev.ts'),
  ),
  lazy(
    'logs',
    'logs <executionId> [--workflow NAME] [--data-dir DIR] [--json]',
    'the task log lines the dev stack kept for one execution',
    () => import('./commands/logs.ts'),
  ),
  lazy(
    'schedules',
    'schedules [<file>...] [--url URL] [--count N] [--data-dir DIR]',
    'next fire times of cron triggers and patterns of event triggers; with a running dev stack, fires and lateness per schedule',
    () => import('./commands/schedules.ts'),
  ),
  lazy(
    'schema',
    'schema [--write FILE]',
    'print the JSON Schema of definition files (for editors), or write it with --write FILE',
    () => import('./commands/schema.ts'),
  ),
];

export function helpText(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'stepflow: declarative workflows on AWS Step Functions, and offline',
    '',
    'usage: stepflow <command> [options]',
    '',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'exit codes: 0 success; 1 invalid definition (validate, compile, graph) or an execution that did not',
    'succeed (run); 2 wrong call, or for run an invalid definition',
    '',
  ].join('\n');
}

/** Runs one command line; resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo, commands: readonly Command[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(helpText(commands));
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`stepflow: unknown command "${name}"\n\n${helpText(commands)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: stepflow ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`stepflow ${command.name}: ${error.message}\nusage: stepflow ${command.usage}\n`);
      return 2;
    }
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('cli/main.ts')) {
  runCli(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error) => {
      process.stderr.write(`stepflow: ${(error as Error).stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}
