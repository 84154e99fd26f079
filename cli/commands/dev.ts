import { DataDirInUse } from '../../local/data-dir-lock.ts';
import { startDevStack } from '../../local/dev-stack.ts';
import { progressLine, statusLine, taskLogLine } from '../../local/logs/readable-lines.ts';
import { parse, UsageError } from '../args.ts';
import type { CliIo } from '../io.ts';

/**
 * `stepflow dev [--port N] [--aws-port N] [--definitions DIR] [--data-dir DIR] [--json-logs]`: resolves to the
 * exit code. One readable line per execution event and task log line, or JSON lines with --json-logs.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    port: { type: 'string' },
    definitions: { type: 'string' },
    'data-dir': { type: 'string' },
    'aws-port': { type: 'string' },
    'json-logs': { type: 'boolean' },
  });
  const awsPort = values['aws-port'];
  if (awsPort !== undefined && !/^\d{1,5}$/.test(awsPort)) throw new UsageError(`aws-port must be a number, got "${awsPort}"`);
  const json = values['json-logs'] === true;
  const port = values.port ?? process.env.PORT;
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw new UsageError(`port must be a number, got "${port}"`);
  let stack: Awaited<ReturnType<typeof startDevStack>>;
  try {
    stack = await startDevStack({
      port: port === undefined ? undefined : Number(port),
      definitionsDir: values.definitions,
      dataDir: values['data-dir'],
      awsPort: awsPort === undefined ? undefined : Number(awsPort),
      log: (line) => io.err(line + '\n'),
      taskLog: (line) => io.err((json ? line : taskLogLine(line)) + '\n'),
    });
  } catch (error) {
    const problem = startProblem(error, port);
    if (!problem) throw error;
    io.err(`✖ ${problem}\n`);
    return 1;
  }
  stack.engine.on('status', (event) => io.err((json ? JSON.stringify(event) : statusLine(event)) + '\n'));
  stack.engine.on('progress', (event) => io.err((json ? JSON.stringify(event) : progressLine(event)) + '\n'));
  io.err(`stepflow is running offline; Ctrl-C stops it.\n`);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      io.err(`\n${signal}: stopping…\n`);
      stack.stop().then(resolve, resolve);
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  return 0;
}

/** What a person can fix about a failed start, in one sentence; undefined for anything else. */
function startProblem(error: unknown, port: string | undefined): string | undefined {
  if (error instanceof DataDirInUse) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `port ${(error as { port?: number }).port ?? port ?? 3000} is in use; set PORT (or --port) to a free one`;
  return undefined;
}
