import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDevStack, type DevStack } from '../../local/dev-stack.ts';

const fixtureDefinitions = fileURLToPath(new URL('./fixtures/definitions', import.meta.url));
const stacks: DevStack[] = [];
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.stop();
});

async function start(dataDir: string, definitionsDir = fixtureDefinitions, lines: string[] = []): Promise<DevStack> {
  const stack = await startDevStack({ definitionsDir, dataDir, port: 0, servicesPort: 0, retryIntervalMs: 0, log: (line) => void lines.push(line) });
  stacks.push(stack);
  return stack;
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('dev stack', () => {
  it('runs an execution started over HTTP and still answers for it after a restart on the same data', async () => {
    // GIVEN the dev stack on a fresh data folder
    const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-dev-'));
    const first = await start(dataDir);

    // WHEN an execution is started through the API and polled until it ends
    const started = await fetch(`${first.url}/workflows/greeting/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'hi-1', input: { who: 'Ada' } }),
    });
    expect(started.status).toBe(202);
    const executionUrl = `${first.url}/workflows/greeting/executions/hi-1`;
    const done = await vi.waitFor(
      async () => {
        const { body } = await getJson(executionUrl);
        expect(body.status).toBe('SUCCEEDED');
        return body;
      },
      { timeout: 20_000, interval: 20 },
    );

    // THEN the output holds every task's result, the recorder having stored it through dynalite
    const output = done.output as Record<string, { input: unknown; upstream: string[] }>;
    expect(Object.keys(output).sort()).toEqual(['hello', 'together', 'world']);
    expect(output.together).toMatchObject({ input: { who: 'Ada' }, upstream: ['hello', 'world'] });

    // AND after a restart on the same data folder, the execution is still there
    await stacks.pop()!.stop();
    const second = await start(dataDir);
    const again = await getJson(`${second.url}/workflows/greeting/executions/hi-1`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ executionId: 'hi-1', status: 'SUCCEEDED', output: done.output });
  });

  it('resumes an execution that was running when the stack stopped, and answers 503 while stopping', async () => {
    // GIVEN an execution whose task never ends, accepted before the stack stops
    const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-dev-'));
    const first = await start(dataDir);
    const taskStarted = new Promise((resolve) => first.engine.once('progress', resolve));
    const accepted = await fetch(`${first.url}/workflows/stalled/executions`, { method: 'POST', body: JSON.stringify({ name: 'stuck' }) });
    expect(accepted.status).toBe(202);
    await taskStarted;

    // WHEN the stack stops (a request while it stops is refused with the API's error shape) and starts again
    const stopping = stacks.pop()!.stop();
    const refused = await fetch(`${first.url}/workflows`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await stopping;
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'stopping' } } });
    const lines: string[] = [];
    const second = await start(dataDir, fixtureDefinitions, lines);

    // THEN the execution runs again, RUNNING in every view of the store
    expect(lines).toContain('↻ resuming 1 execution(s) that were running when the stack stopped');
    expect(second.engine.describe(second.engine.executionArn('stalled', 'stuck')).status).toBe('RUNNING');
    const { body } = await getJson(`${second.url}/workflows/stalled/executions/stuck`);
    expect(body).toMatchObject({ status: 'RUNNING' });
    const running = await getJson(`${second.url}/workflows/stalled/executions?status=RUNNING`);
    expect(running.body.items).toEqual([expect.objectContaining({ executionId: 'stuck' })]);
  });

  it('reports invalid definitions with file:line and serves the valid ones', async () => {
    const lines: string[] = [];
    const stack = await start(mkdtempSync(join(tmpdir(), 'stepflow-dev-')), fixtureDefinitions, lines);

    expect(stack.workflows).toEqual(['forgiving', 'greeting', 'stalled']);
    expect(lines).toContain('✖ test/local/fixtures/definitions/broken.yaml:6 unknown dependency "frist" (did you mean "first"?) → at workflow.tasks[0].depends_on[0]');
    const { status, body } = await getJson(`${stack.url}/workflows`);
    expect(status).toBe(200);
    expect(JSON.stringify(body)).toContain('greeting');
  });

  it('runs a service task whose service nothing declares against the example service, with no environment set', async () => {
    // GIVEN the examples (seed-example names a "notification" service it does not declare) and no STEPFLOW_SERVICE_* variable
    expect(process.env.STEPFLOW_SERVICE_NOTIFICATION_URL).toBeUndefined();
    const stack = await start(mkdtempSync(join(tmpdir(), 'stepflow-dev-')), fileURLToPath(new URL('../../definitions', import.meta.url)));
    // WHEN the workflow runs
    const started = await stack.engine.start('seed-example', {});
    const done = await stack.engine.wait(started.executionArn);
    // THEN the invoker reached the example notification service
    expect({ status: done.status, error: done.error }).toEqual({ status: 'SUCCEEDED', error: undefined });
    expect(JSON.parse(done.output!)).toHaveProperty('notification');
  });

  it('leaves the process environment as it found it, so stacks need no reset between starts', async () => {
    const before = { ...process.env };
    await start(mkdtempSync(join(tmpdir(), 'stepflow-dev-')));
    expect(process.env).toEqual(before);
    await stacks.pop()!.stop();
    expect(process.env).toEqual(before);
  });
});
