import { readFileSync } from 'node:fs';
import { compileWorkflow } from '../../core/compiler/compile.ts';
import { InputValidator } from '../../functions/executions/input-validator.ts';
import { BadRequest, normaliseCause } from '../../core/errors.ts';
import { LocalEngine } from '../../local/engine/local-engine.ts';
import { startExampleServices } from '../../local/example-services.ts';
import { startStandalonePools } from '../../local/pools/standalone-pools.ts';
import type { ProgressEvent } from '../../local/engine/execution.ts';
import { parse, UsageError } from '../args.ts';
import { loadForCommand } from '../definition-input.ts';
import type { CliIo } from '../io.ts';

/** `stepflow run <file> [--input JSON | --input-file F] [--json] [--verbose]`: resolves to the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(argv, {
    input: { type: 'string' },
    'input-file': { type: 'string' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
  });
  if (values.input !== undefined && values['input-file'] !== undefined) throw new UsageError('give --input or --input-file, not both');
  const input = readInput(values.input, values['input-file']);
  const definition = loadForCommand(positionals[0], io);
  if (!definition) return 2;
  checkInput(definition.name, definition.inputSchema, input);

  // Handlers' own JSON log lines go to stderr with --verbose; stdout is the result alone.
  const taskLog = values.verbose ? (line: string) => io.err(`${line}\n`) : () => undefined;
  const plan = compileWorkflow(definition);
  // The same offline services `npm start` serves, so a definition runs alike under both.
  const services = await startExampleServices([plan]);
  let pools: Awaited<ReturnType<typeof startStandalonePools>>;
  const engine = new LocalEngine({ plans: [plan], taskLog, serviceEnv: services.env, poolSender: (placeholder, body) => pools!.pools.send(placeholder, body) });
  engine.on('progress', (event) => io.err(progressLine(event, io)));
  try {
    // Pooled tasks run in worker processes fed by an in-memory queue, as under the dev stack.
    pools = await startStandalonePools([plan], engine);
    const started = await engine.start(definition.name, input);
    io.err(`▶ ${definition.name} ${started.name}\n`);
    const done = await engine.wait(started.executionArn);
    const output = done.output === undefined ? undefined : JSON.parse(done.output);
    const cause = normaliseCause(done.cause);
    const seconds = ((done.stopDate ?? new Date()).getTime() - done.startDate.getTime()) / 1000;
    io.err(`${done.status === 'SUCCEEDED' ? '✔' : '✖'} ${done.status} in ${seconds.toFixed(2)}s${done.error ? `: ${done.error}${cause ? `: ${cause}` : ''}` : ''}\n`);
    if (values.json) io.out(JSON.stringify({ status: done.status, output, error: done.error, cause }) + '\n');
    else if (output !== undefined) io.out(JSON.stringify(output, null, 2) + '\n');
    return done.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await engine.close();
    await pools?.stop();
    await services.close();
  }
}

/** The same input_schema check the API makes before starting an execution. */
function checkInput(workflow: string, schema: Record<string, unknown> | undefined, input: unknown) {
  try {
    new InputValidator().check(workflow, schema, input);
  } catch (error) {
    if (!(error instanceof BadRequest)) throw error;
    const details = (error.details as { message: string }[] | undefined) ?? [];
    throw new UsageError([error.message, ...details.map((d) => `  - ${d.message}`)].join('\n'));
  }
}

function readInput(inline: string | undefined, file: string | undefined): unknown {
  const [text, where] = file !== undefined ? [readText(file), file] : [inline, '--input'];
  if (text === undefined) return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function progressLine(event: ProgressEvent, io: CliIo): string {
  const attempt = `attempt ${event.attempt + 1}`;
  if (event.type === 'taskStarted') return `  … ${event.state} started (${attempt})\n`;
  const took = `${event.durationMs} ms`;
  if (event.type === 'taskSucceeded') return `  ${io.isTty ? '✔' : 'ok'} ${event.state} (${attempt}, ${took})\n`;
  return `  ${io.isTty ? '✖' : 'failed'} ${event.state} (${attempt}, ${took}): ${event.error}: ${normaliseCause(event.cause) ?? ''}\n`;
}
