import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDevStack, type DevStack } from '../../local/dev-stack.ts';

/** The README's TypeScript snippets that use the client (`from 'stepflow'`), each named by its first comment. */
function clientSnippets(): { name: string; code: string }[] {
  const readme = readFileSync('README.md', 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1])
    .filter((code) => /from 'stepflow';/.test(code))
    .map((code) => ({ name: /^\/\/ (\w+)/.exec(code)?.[1] ?? code.slice(0, 40), code }));
}

describe('the README client snippets run against the dev stack and the shipped definitions', () => {
  let stack: DevStack;
  const dir = resolve('test-output/readme-snippets');
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    stack = await startDevStack({ definitionsDir: 'definitions', dataDir: mkdtempSync(join(tmpdir(), 'stepflow-readme-')), port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => undefined, taskLog: () => undefined });
  });
  afterAll(async () => stack?.stop());

  it('covers every client class', () => {
    expect(clientSnippets().map((s) => s.name).sort()).toEqual(['CronTaskScheduler', 'EventTaskScheduler', 'ParallelWorkflowEngine', 'SequentialWorkflowEngine', 'WorkflowEngine']);
  });

  it.each(clientSnippets())('$name', async ({ name, code }) => {
    const runnable = code
      .replace("from 'stepflow';", `from ${JSON.stringify(resolve('client/index.ts'))};`)
      .replaceAll("'http://127.0.0.1:3000'", JSON.stringify(stack.url));
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, `${runnable}\nexport {};\n`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await import(pathToFileURL(file).href);
      if (name === 'WorkflowEngine') expect(log.mock.calls[0]?.[0]).toBe('SUCCEEDED');
      if (name === 'SequentialWorkflowEngine') expect(log.mock.calls[0]?.[0]).toBe('SUCCEEDED');
      if (name === 'CronTaskScheduler') expect(log.mock.calls[0]?.[0]).toHaveLength(2);
    } finally {
      log.mockRestore();
    }
  });
});
