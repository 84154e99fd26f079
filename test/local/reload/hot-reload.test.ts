import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevStack, type DevStack } from '../../../local/dev-stack.ts';

/** A project of its own: the test edits its files while the stack runs. */
const project = mkdtempSync(join(tmpdir(), 'stepflow-reload-'));
const definition = join(project, 'definitions', 'flow.yaml');
const handler = join(project, 'handlers', 'step.ts');
const release = join(project, 'release');

/** Each task waits for the `release` file when the input asks, then says which edit of the module ran. */
function handlerSource(edit: string): string {
  return `import { existsSync } from 'node:fs';
export const handler = async (event: { input?: { hold?: boolean } }) => {
  while (event?.input?.hold && !existsSync(${JSON.stringify(release)})) await new Promise((r) => setTimeout(r, 20));
  return { edit: ${JSON.stringify(edit)} };
};
`;
}

function definitionSource(tasks: string[]): string {
  const lines = ['workflow:', '  name: flow', '  tasks:'];
  tasks.forEach((name, i) => {
    lines.push(`    - name: ${name}`, '      handler: ../handlers/step.ts#handler');
    if (i > 0) lines.push(`      depends_on: [${tasks[i - 1]}]`);
  });
  return lines.join('\n') + '\n';
}

let stack: DevStack;
const logLines: string[] = [];

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}; log:\n${logLines.join('\n')}`);
}

const logged = (text: string, from = 0) => until(`a log line with "${text}"`, () => logLines.slice(from).find((l) => l.includes(text)));

async function start(input: unknown = {}): Promise<string> {
  const started = await stack.engine.start('flow', input);
  return started.executionArn;
}

async function output(arn: string): Promise<Record<string, { edit: string }>> {
  const done = await stack.engine.wait(arn);
  expect(done.status).toBe('SUCCEEDED');
  return JSON.parse(done.output!);
}

/** Which task ran which edit of the handler. */
function edits(out: Record<string, unknown>): Record<string, string> {
  const found: Record<string, string> = {};
  const visit = (value: unknown, key: string) => {
    if (value && typeof value === 'object') {
      if ('edit' in value && typeof (value as { edit: unknown }).edit === 'string') found[key] = (value as { edit: string }).edit;
      else for (const [k, v] of Object.entries(value)) visit(v, k);
    }
  };
  visit(out, '');
  return found;
}

beforeAll(async () => {
  mkdirSync(join(project, 'definitions'));
  mkdirSync(join(project, 'handlers'));
  writeFileSync(definition, definitionSource(['first']));
  writeFileSync(handler, handlerSource('one'));
  stack = await startDevStack({
    definitionsDir: join(project, 'definitions'),
    dataDir: join(project, '.stepflow'),
    port: 0,
    servicesPort: 0,
    retryIntervalMs: 0,
    hotReload: true,
    log: (line) => void logLines.push(line),
    taskLog: () => undefined,
  });
});
afterAll(async () => stack?.stop());

describe('hot reload under npm start', () => {
  it('serves an edited definition to new executions without a restart', async () => {
    expect(edits(await output(await start()))).toEqual({ first: 'one' });
    writeFileSync(definition, definitionSource(['first', 'second']));
    await logged('workflow flow reloaded');
    expect(edits(await output(await start()))).toEqual({ first: 'one', second: 'one' });
  });

  it('reports a broken definition in one line with file:line and keeps serving the last good version', async () => {
    const before = logLines.length;
    writeFileSync(definition, definitionSource(['first', 'second']).replace('depends_on: [first]', 'depends_on: [first'));
    const line = await logged('still serving the last good version of flow', before);
    expect(logLines.slice(before).filter((l) => l.startsWith('✖'))).toHaveLength(1);
    expect(line).toMatch(/flow\.yaml:\d+ /);
    expect(edits(await output(await start()))).toEqual({ first: 'one', second: 'one' });
    writeFileSync(definition, definitionSource(['first', 'second']));
    await until('the fixed definition', () => logLines.slice(before).find((l) => l.includes('workflow flow reloaded')));
  });

  it('calls an edited handler in new executions while a running one keeps the module it started with', async () => {
    // GIVEN an execution held inside its first task, on the first edit of the handler
    const before = logLines.length;
    const running = await start({ hold: true });
    // WHEN the handler is edited
    writeFileSync(handler, handlerSource('two'));
    await logged('step.ts reloaded', before);
    // THEN a new execution calls the new edit in every task
    expect(edits(await output(await start()))).toEqual({ first: 'two', second: 'two' });
    // AND the running one finishes on the module it started with, in its later task too
    writeFileSync(release, '');
    expect(edits(await output(running))).toEqual({ first: 'one', second: 'one' });
  });

  it('reports a handler that no longer compiles and keeps calling the last good one', async () => {
    const before = logLines.length;
    writeFileSync(handler, "export const handler = async () => {\n  return { edit: 'three' ;\n};\n");
    const line = await logged('still serving the last good version', before);
    expect(line).toMatch(/step\.ts:\d+ /);
    expect(logLines.slice(before).filter((l) => l.startsWith('✖'))).toHaveLength(1);
    expect(edits(await output(await start()))).toEqual({ first: 'two', second: 'two' });
  });
});
