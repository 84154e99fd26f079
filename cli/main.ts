import { UsageError } from './args.ts';
import { compileCommand } from './commands/compile.ts';
import { devCommand } from './commands/dev.ts';
import { graphCommand } from './commands/graph.ts';
import { runCommand } from './commands/run.ts';
import { schemaCommand } from './commands/schema.ts';
import { schedulesCommand } from './commands/schedules.ts';
import { validateCommand } from './commands/validate.ts';
import { processIo, type CliIo, type Command } from './io.ts';

const COMMANDS: readonly Command[] = [validateCommand, compileCommand, graphCommand, runCommand, devCommand, schedulesCommand, schemaCommand];

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
