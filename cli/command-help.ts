/**
 * What `stepflow <command> --help` prints besides the usage line: each option with what it does, and
 * examples to copy. Kept apart from the command table so each command's help reads in one place.
 */
export interface CommandHelp {
  readonly options: readonly (readonly [flag: string, what: string])[];
  readonly examples: readonly string[];
}

const DATA_DIR: readonly [string, string] = ['--data-dir DIR', 'the dev stack data folder (default .stepflow)'];
const URL: readonly [string, string] = ['--url URL', 'the API of the running dev stack (default: the one in <data-dir>/endpoints.json, else http://127.0.0.1:3000)'];

export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  validate: {
    options: [['<file, folder or glob...>', 'definition files; a folder or a glob gives its .yaml, .yml and .json definitions, other files are skipped']],
    examples: ['stepflow validate definitions', "stepflow validate 'definitions/*.yaml'", 'stepflow validate definitions/order-pipeline.yaml'],
  },
  compile: {
    options: [['<file>', 'one definition file'], ['--plan', 'print the whole plan (strategy, ASL, triggers) instead of the ASL alone; how it runs on stderr']],
    examples: ['stepflow compile definitions/order-pipeline.yaml > order-pipeline.asl.json', 'stepflow compile definitions/sales-report.yaml --plan'],
  },
  graph: {
    options: [['<file>', 'one definition file']],
    examples: ['stepflow graph definitions/order-pipeline.yaml > graph.mmd'],
  },
  run: {
    options: [
      ['<file>', 'one definition file'],
      ['--input JSON', 'the execution input (default {})'],
      ['--input-file F', 'read the input from a JSON file instead'],
      ['--json', 'print { status, output, error, cause } on stdout'],
      ['--verbose', "the handlers' own log lines on stderr"],
    ],
    examples: ['stepflow run definitions/seed-example.yaml', 'stepflow run definitions/order-pipeline.yaml --input \'{"orderId":"o-1","amount":12}\' --json'],
  },
  dev: {
    options: [
      ['--port N', 'API and console port (default PORT, else 3000)'],
      ['--aws-port N', 'the one AWS endpoint (default STEPFLOW_AWS_PORT, else 4599)'],
      ['--definitions DIR', 'where the definitions are (default definitions)'],
      DATA_DIR,
      ['--json-logs', 'JSON log lines instead of readable ones'],
    ],
    examples: ['stepflow dev', 'stepflow dev --port 3100 --aws-port 4600 --data-dir /tmp/stepflow'],
  },
  logs: {
    options: [['<executionId>', 'the execution'], ['--workflow NAME', 'its workflow (found when omitted)'], DATA_DIR, ['--json', 'one JSON line per log line']],
    examples: ['stepflow logs 3a20429e-002f-4394-85b7-7c00400f7779', 'stepflow logs nightly-2026-01-01 --workflow daily_backup --json'],
  },
  history: {
    options: [['<executionId>', 'the execution'], ['--workflow NAME', 'its workflow (found when omitted)'], URL, DATA_DIR, ['--json', 'one JSON line per event, as GetExecutionHistory gives them']],
    examples: ['stepflow history 3a20429e-002f-4394-85b7-7c00400f7779', 'stepflow history o-1 --workflow order_pipeline --json'],
  },
  services: {
    options: [['[<name>]', 'one service: its instances with health, weight, calls in flight, breaker state and call metrics'], URL, DATA_DIR, ['--json', 'the API\'s answer as JSON']],
    examples: ['stepflow services', 'stepflow services inventory --json'],
  },
  schedules: {
    options: [['[<file>...]', 'definitions whose triggers to show'], ['--count N', 'next fire times per trigger (default 5)'], URL, DATA_DIR],
    examples: ['stepflow schedules definitions/nightly-backup.yaml', 'stepflow schedules   # fires and lateness from a running dev stack'],
  },
  schema: {
    options: [['--write FILE', 'write the JSON Schema to FILE instead of stdout']],
    examples: ['stepflow schema --write definitions/stepflow.schema.json'],
  },
};

/** The full help of one command. */
export function commandHelpText(command: { name: string; usage: string; summary: string }): string {
  const help = COMMAND_HELP[command.name];
  const lines = [`usage: stepflow ${command.usage}`, '', command.summary];
  if (help) {
    const width = Math.max(...help.options.map(([flag]) => flag.length));
    lines.push('', 'options:', ...help.options.map(([flag, what]) => `  ${flag.padEnd(width)}  ${what}`));
    lines.push('', 'examples:', ...help.examples.map((e) => `  ${e}`));
  }
  return lines.join('\n') + '\n';
}
