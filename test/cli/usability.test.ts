import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_HELP } from '../../cli/command-help.ts';
import { helpText, runCli } from '../../cli/main.ts';
import { startDevStack, type DevStack } from '../../local/dev-stack.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), isTty: false }, out, err };
}

describe('stepflow <command> --help', () => {
  const names = [...helpText().matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]);

  it('every command in the overview has its own help', () => {
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(Object.keys(COMMAND_HELP)).toContain(name);
  });

  it.each(Object.keys(COMMAND_HELP))('%s --help lists its options and an example', async (name) => {
    const { io, out } = capture();
    expect(await runCli([name, '--help'], io)).toBe(0);
    const text = out.join('');
    expect(text).toContain(`usage: stepflow ${name}`);
    expect(text).toMatch(/options:\n {2}\S/);
    expect(text).toMatch(new RegExp(`examples:\\n {2}stepflow ${name}`));
    // Every --flag of the usage line is explained.
    const usage = text.split('\n')[0];
    for (const [flag] of usage.matchAll(/--[\w-]+/g)) expect(text.split('options:')[1]).toContain(flag);
  });
});

describe('stepflow validate', () => {
  it('takes a folder and skips what is not a definition', async () => {
    const { io, err } = capture();
    expect(await runCli(['validate', 'definitions'], io)).toBe(0);
    expect(err.join('')).toContain('✔ definitions/order-pipeline.yaml');
    expect(err.join('')).not.toContain('stepflow.schema.json');
  });

  it('takes a glob, and skips a named schema or non-YAML file without failing', async () => {
    const { io, err } = capture();
    expect(await runCli(['validate', 'definitions/*', 'definitions/stepflow.schema.json', 'README.md'], io)).toBe(0);
    const text = err.join('');
    expect(text).toContain('– definitions/stepflow.schema.json: skipped');
    expect(text).toContain('– README.md: skipped');
    expect(text).toContain('✔ definitions/seed-example.yaml');
    expect(text).not.toContain('✖');
  });

  it('reports one missing ] once, at the line where the [ opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepflow-yaml-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, ['workflow:', '  tasks:', '    - name: a', '      type: function', '    - name: b', '      type: function', '      depends_on: [a', '    - name: c', '      type: function', ''].join('\n'));
    const { io, err } = capture();
    expect(await runCli(['validate', file], io)).toBe(1);
    const lines = err.join('').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${file}:7 `);
    expect(lines[0]).toContain('"[" opened at line 7, column 19 is never closed');
  });

  it('reports an unclosed quote where it opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepflow-yaml-'));
    const file = join(dir, 'quote.yaml');
    writeFileSync(file, 'workflow:\n  name: "x\n  tasks: []\n');
    const { io, err } = capture();
    expect(await runCli(['validate', file], io)).toBe(1);
    expect(err.join('').trim().split('\n')).toEqual([expect.stringContaining(`${file}:2 the double-quoted string opened at line 2, column 9`)]);
  });
});

describe('stepflow run serves the offline services npm start serves', () => {
  it('runs the seed example, whose notification service nothing declares', async () => {
    const { io, out, err } = capture();
    const code = await runCli(['run', 'definitions/seed-example.yaml', '--json'], io);
    expect(err.join('')).not.toContain('ServiceNotFound');
    expect(code).toBe(0);
    expect(JSON.parse(out.join('')).output.notification).toMatchObject({ delivered: true });
  });
});

describe('stepflow history', () => {
  let stack: DevStack;
  beforeAll(async () => {
    const definitions = fileURLToPath(new URL('../local/fixtures/definitions', import.meta.url));
    stack = await startDevStack({ definitionsDir: definitions, dataDir: mkdtempSync(join(tmpdir(), 'stepflow-history-')), port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => undefined, taskLog: () => undefined });
  });
  afterAll(async () => stack?.stop());

  async function finishedExecution(): Promise<string> {
    const started = await fetch(`${stack.url}/workflows/greeting/executions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: { who: 'Ada' } }) });
    const { executionId } = (await started.json()) as { executionId: string };
    for (let i = 0; i < 200; i++) {
      const view = (await (await fetch(`${stack.url}/workflows/greeting/executions/${executionId}`)).json()) as { status: string };
      if (view.status !== 'RUNNING') return executionId;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the execution did not finish');
  }

  it('prints the Step Functions events of an execution found by its id alone', async () => {
    const id = await finishedExecution();
    const { io, out } = capture();
    expect(await runCli(['history', id, '--url', stack.url], io)).toBe(0);
    const lines = out.join('').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ {3}1 {2}\S+ {2}ExecutionStarted/);
    expect(lines.at(-1)).toContain('ExecutionSucceeded');
    expect(lines.some((l) => l.includes('TaskStateEntered'))).toBe(true);
  });

  it('prints JSON events with --json and --workflow', async () => {
    const id = await finishedExecution();
    const { io, out } = capture();
    expect(await runCli(['history', id, '--workflow', 'greeting', '--url', stack.url, '--json'], io)).toBe(0);
    const events = out.join('').trim().split('\n').map((l) => JSON.parse(l) as { id: number; type: string });
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[0].type).toBe('ExecutionStarted');
  });

  it('exits 1 for an unknown execution', async () => {
    const { io, err } = capture();
    expect(await runCli(['history', 'never-ran', '--url', stack.url], io)).toBe(1);
    expect(err.join('')).toContain('no execution "never-ran"');
  });
});
