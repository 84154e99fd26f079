import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApi, type HttpApiServer } from '../../local/http-adapter.ts';
import {
  ParallelWorkflowEngine, SequentialWorkflowEngine, StepflowApiError, WaitTimeoutError, WorkflowEngine, WorkflowGraphError,
} from '../../client/index.ts';
import { startApiStack, type ApiStack } from '../support/api-stack.ts';

const ORDER = { orderId: 'o-1', amount: 42 };

describe('WorkflowEngine over the HTTP API', () => {
  let api: ApiStack;
  let http: HttpApiServer;
  let engine: WorkflowEngine;

  beforeAll(async () => {
    api = await startApiStack();
    http = await startHttpApi({ handler: api.handler });
    engine = new WorkflowEngine({ baseUrl: http.url, sleep: async () => {} });
  });
  afterAll(async () => {
    await http.close();
    await api.close();
  });

  const finish = (workflow: string, executionId: string, status: 'SUCCEEDED' | 'FAILED', extra: Record<string, string> = {}) =>
    api.deps.store.recordStatus({
      workflow, executionId, executionArn: 'arn', status, startDate: '2025-01-01T00:00:00.000Z', stopDate: '2025-01-01T00:00:09.000Z', ...extra,
    });

  it('starts an execution and reads its status', async () => {
    const id = await engine.execute('orders', ORDER, { name: 'client-1' });
    expect(id).toBe('client-1');
    expect(await engine.status('orders', id)).toMatchObject({ executionId: 'client-1', workflow: 'orders', status: 'RUNNING', input: ORDER });
  });

  it('starts idempotently by name', async () => {
    const first = await engine.execute('orders', ORDER, { name: 'client-2' });
    expect(await engine.execute('orders', ORDER, { name: 'client-2' })).toBe(first);
  });

  it('waits until the execution has finished', async () => {
    const id = await engine.execute('reports', {});
    let polls = 0;
    const waiting = new WorkflowEngine({
      baseUrl: http.url,
      sleep: async () => {
        // GIVEN the execution finishes while the client is polling
        if (++polls === 2) await finish('reports', id, 'SUCCEEDED', { output: '{"total":3}' });
      },
    });
    expect(await waiting.wait('reports', id, { pollMs: 10 })).toMatchObject({ status: 'SUCCEEDED', output: { total: 3 } });
    expect(polls).toBe(2);
  });

  it('gives up waiting after timeoutMs', async () => {
    const id = await engine.execute('reports', {});
    await expect(engine.wait('reports', id, { timeoutMs: 30, pollMs: 10 })).rejects.toBeInstanceOf(WaitTimeoutError);
  });

  it('cancels, then refuses to cancel a finished execution', async () => {
    const id = await engine.execute('reports', {});
    await engine.cancel('reports', id);
    await finish('reports', id, 'FAILED');
    await expect(engine.cancel('reports', id)).rejects.toMatchObject({ status: 409, code: 'execution_not_running' });
  });

  it('asks for a redrive of a failed execution: the offline stack answers 501, and status shows the redrive count', async () => {
    const id = await engine.execute('reports', {});
    await finish('reports', id, 'FAILED');
    expect(await engine.status('reports', id)).toMatchObject({ status: 'FAILED', redriveCount: 0 });
    await expect(engine.redrive('reports', id)).rejects.toMatchObject({ status: 501, code: 'not_implemented' });
  });

  it('lists executions page by page', async () => {
    for (const name of ['p1', 'p2', 'p3']) await engine.execute('events', {}, { name });
    const first = await engine.list('events', { limit: 2 });
    const second = await engine.list('events', { limit: 2, nextToken: first.nextToken });
    expect([...first.items, ...second.items].map((i) => i.executionId)).toEqual(['p3', 'p2', 'p1']);
    expect((await engine.workflows()).map((w) => w.name)).toEqual(['events', 'orders', 'reports']);
  });

  it('turns an error answer into a StepflowApiError with status, code, message and details', async () => {
    const error = await engine.execute('orders', { amount: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepflowApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_input', message: expect.stringContaining('orders') });
    expect((error as StepflowApiError).details).toHaveLength(2);
    await expect(engine.status('nope', 'x')).rejects.toMatchObject({ status: 404, code: 'unknown_workflow' });
  });

  describe('Sequential and Parallel engines', () => {
    it('start the named workflow with the checked graph and the engine settings', async () => {
      const sequential = new SequentialWorkflowEngine({ baseUrl: http.url, workflow: 'reports', maxConcurrentTasks: 10, timeout: 3600, retryAttempts: 3 });
      const id = await sequential.execute({
        tasks: [
          { name: 'send_notification', function: 'notifier' },
          { name: 'process_data', function: 'dataProcessor' },
        ],
        dependencies: { send_notification: ['process_data'] },
      });
      expect((await sequential.status(id)).input).toEqual({
        engine: { type: 'sequential', maxConcurrentTasks: 10, timeoutSeconds: 3600, retryAttempts: 3 },
        tasks: [
          { name: 'send_notification', function: 'notifier' },
          { name: 'process_data', function: 'dataProcessor' },
        ],
        dependencies: { send_notification: ['process_data'] },
        order: ['process_data', 'send_notification'],
        input: {},
      });
    });

    it('default to the workflow named after the engine type', () => {
      expect(new ParallelWorkflowEngine({ baseUrl: http.url }).workflow).toBe('parallel');
      expect(new SequentialWorkflowEngine({ baseUrl: http.url }).workflow).toBe('sequential');
    });

    it('refuse a bad graph before calling the API, listing every problem', async () => {
      const parallel = new ParallelWorkflowEngine({ baseUrl: 'http://127.0.0.1:1' });
      const error = await parallel
        .execute({ tasks: [{ name: 'a' }, { name: 'a' }, { name: 'b' }], dependencies: { b: ['c'], d: ['a'] } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowGraphError);
      expect((error as WorkflowGraphError).problems).toEqual([
        'task "a" is defined twice',
        'task "b" depends on unknown task "c"',
        'dependencies name unknown task "d"',
      ]);
      await expect(parallel.execute({ tasks: [{ name: 'a' }, { name: 'b' }], dependencies: { a: ['b'], b: ['a'] } })).rejects.toThrow(/cycle/);
    });
  });
});

describe('WorkflowEngine SigV4 signing', () => {
  let seen: { method: string; url: string; headers: IncomingHttpHeaders }[];
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    seen = [];
    const server = createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"executionId":"signed-1"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it('signs every request for execute-api with the given credentials and region', async () => {
    const engine = new WorkflowEngine({
      baseUrl: url,
      signing: 'sigv4',
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
    });
    expect(await engine.execute('orders', ORDER)).toBe('signed-1');
    const request = seen.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', url: '/prod/workflows/orders/executions' });
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(request.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request.headers['x-amz-security-token']).toBe('token');
  });

  it('does not sign requests to the offline API by default', async () => {
    await new WorkflowEngine({ baseUrl: url }).execute('orders', ORDER);
    expect(seen.at(-1)!.headers.authorization).toBeUndefined();
  });
});
