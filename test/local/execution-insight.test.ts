import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevStack, type DevStack } from '../../local/dev-stack.ts';

const definitions = fileURLToPath(new URL('./fixtures/observed', import.meta.url));
let stack: DevStack;

beforeAll(async () => {
  stack = await startDevStack({ definitionsDir: definitions, dataDir: mkdtempSync(join(tmpdir(), 'stepflow-insight-')), port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => undefined, taskLog: () => undefined });
});
afterAll(async () => stack?.stop());

async function get(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.url}${path}`);
  return { status: response.status, body: await response.json() };
}

/** Starts an execution through the API and waits for the engine and the recorder to be done with it. */
async function runToEnd(workflow: string, name: string, input: unknown): Promise<void> {
  const started = await fetch(`${stack.url}/workflows/${workflow}/executions`, { method: 'POST', body: JSON.stringify({ name, input }) });
  expect(started.status).toBe(202);
  await stack.engine.wait(stack.engine.describe(`arn:aws:states:us-east-1:000000000000:execution:${workflow}:${name}`).executionArn);
  await stack.engine.flush();
}

describe('an execution seen through the API', () => {
  it('GET shows each task with its status, attempts, times and output', async () => {
    await runToEnd('orders', 'retried', { failFirst: 'validate' });
    const { status, body } = await get('/workflows/orders/executions/retried');
    expect(status).toBe(200);
    expect(body.status).toBe('SUCCEEDED');
    expect(body.tasks).toEqual([
      expect.objectContaining({ name: 'validate', status: 'SUCCEEDED', attempts: 2, output: { task: 'validate', attempt: 1 }, error: null, stopDate: expect.any(String) }),
      expect.objectContaining({ name: 'ship', status: 'SUCCEEDED', attempts: 1, startDate: expect.any(String) }),
    ]);
  });

  it('pages the Step Functions history, oldest or newest first', async () => {
    await runToEnd('orders', 'paged', {});
    const first = await get('/workflows/orders/executions/paged/history?limit=4');
    expect(first.status).toBe(200);
    expect(first.body.events.map((e: { type: string }) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted']);
    const rest = await get(`/workflows/orders/executions/paged/history?limit=100&nextToken=${encodeURIComponent(first.body.nextToken)}`);
    expect(rest.body.events.at(-1)).toMatchObject({ type: 'ExecutionSucceeded', id: 4 + rest.body.events.length });
    expect(rest.body.nextToken).toBeUndefined();
    const newest = await get('/workflows/orders/executions/paged/history?order=newest&limit=1');
    expect(newest.body.events[0].type).toBe('ExecutionSucceeded');
  });

  it('serves the task log lines of one execution, each with its execution and task', async () => {
    await runToEnd('orders', 'logged', {});
    const { status, body } = await get('/workflows/orders/executions/logged/logs');
    expect(status).toBe(200);
    expect(body.lines).toEqual([
      expect.objectContaining({ message: 'working on validate', task: 'validate', attempt: 0, executionArn: expect.stringMatching(/:orders:logged$/) }),
      expect.objectContaining({ message: 'working on ship', task: 'ship' }),
    ]);
  });

  it('answers 4xx with a reason for unknown executions and bad queries', async () => {
    expect(await get('/workflows/orders/executions/nope/history')).toMatchObject({ status: 404, body: { error: { code: 'unknown_execution' } } });
    expect(await get('/workflows/orders/executions/nope/logs')).toMatchObject({ status: 404, body: { error: { code: 'unknown_execution' } } });
    expect(await get('/workflows/orders/executions/paged/history?limit=0')).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });
});
