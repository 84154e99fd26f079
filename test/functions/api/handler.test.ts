import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executionArn } from '../../../local/engine/arn.ts';
import { ORDERS_ARN, startApiStack, type ApiStack } from '../../support/api-stack.ts';

const ORDER = { orderId: 'o-1', amount: 42 };

describe('REST API handler', () => {
  let api: ApiStack;
  let stackSeq = 0;

  beforeAll(async () => {
    api = await startApiStack();
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(() => {
    stackSeq++;
  });
  const unique = (name: string) => `${name}-${stackSeq}`;

  describe('POST /workflows/{name}/executions', () => {
    it('records the execution, starts it in Step Functions and answers 202', async () => {
      const name = unique('order');
      const response = await api.call('POST', '/workflows/orders/executions', { input: ORDER, name });
      expect(response).toMatchObject({ statusCode: 202, body: { executionId: name, name, workflow: 'orders', status: 'RUNNING' } });
      const start = api.sfn.calls.findLast((c) => c.operation === 'StartExecution');
      expect(start?.input).toEqual({ stateMachineArn: ORDERS_ARN, name, input: JSON.stringify(ORDER) });
      expect(api.engine.describe(executionArn('orders', name))).toMatchObject({ status: 'RUNNING', input: JSON.stringify(ORDER) });
      const stored = await api.call('GET', `/workflows/orders/executions/${name}`);
      expect(stored.body).toMatchObject({ executionId: name, status: 'RUNNING', input: ORDER });
    });

    it('names an execution started without a name', async () => {
      const response = await api.call('POST', '/workflows/reports/executions', { input: { day: 1 } });
      expect(response.statusCode).toBe(202);
      expect(response.body.executionId).toMatch(/^generated-\d+$/);
    });

    it('is idempotent by name: the same name and input answer 200 with the same execution', async () => {
      const name = unique('repeat');
      const first = await api.call('POST', '/workflows/orders/executions', { input: ORDER, name });
      // GIVEN the same input with keys in another order
      const second = await api.call('POST', '/workflows/orders/executions', { input: { amount: 42, orderId: 'o-1' }, name });
      expect(first.statusCode).toBe(202);
      expect(second).toMatchObject({ statusCode: 200, body: first.body });
      expect(api.engine.list({ workflow: 'orders' }).filter((e) => e.name === name)).toHaveLength(1);
    });

    it('answers 409 when the name is reused with another input', async () => {
      const name = unique('clash');
      await api.call('POST', '/workflows/orders/executions', { input: ORDER, name });
      const response = await api.call('POST', '/workflows/orders/executions', { input: { ...ORDER, amount: 7 }, name });
      expect(response).toMatchObject({ statusCode: 409, body: { error: { code: 'idempotency_conflict' } } });
    });

    it('answers 409 when Step Functions already has an execution of that name, and keeps no record', async () => {
      // GIVEN an execution of that name started and ended outside the API
      const name = unique('outside');
      const outside = await api.engine.start('reports', { x: 1 }, { name });
      await api.engine.stop(outside.executionArn);
      const response = await api.call('POST', '/workflows/reports/executions', { input: {}, name });
      expect(response).toMatchObject({ statusCode: 409, body: { error: { code: 'execution_exists' } } });
      expect((await api.call('GET', `/workflows/reports/executions/${name}`)).statusCode).toBe(404);
    });

    it('lets a start that Step Functions refused be retried under the same name', async () => {
      const name = unique('retry');
      api.sfn.failNext('StartExecution', { code: 'ServiceUnavailable' });
      const failed = await api.call('POST', '/workflows/reports/executions', { input: {}, name });
      expect(failed).toMatchObject({ statusCode: 500, body: { error: { code: 'internal_error', message: 'Internal server error' } } });
      expect(JSON.stringify(failed.body)).not.toMatch(/at .*\.ts/);
      const retried = await api.call('POST', '/workflows/reports/executions', { input: {}, name });
      expect(retried.statusCode).toBe(202);
    });

    it('lists every schema error of the input (400 invalid_input)', async () => {
      const response = await api.call('POST', '/workflows/orders/executions', { input: { amount: -1, extra: true } });
      expect(response.statusCode).toBe(400);
      expect(response.body.error.code).toBe('invalid_input');
      expect(response.body.error.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: '', message: expect.stringContaining("'orderId'") }),
          expect.objectContaining({ path: '/amount', message: expect.stringContaining('>= 0') }),
        ]),
      );
      expect(response.body.error.details).toHaveLength(2);
    });

    it('rejects malformed JSON with 400 malformed_json', async () => {
      const response = await api.call('POST', '/workflows/orders/executions', undefined, '{"input": ');
      expect(response).toMatchObject({ statusCode: 400, body: { error: { code: 'malformed_json' } } });
    });

    it('rejects an invalid execution name with 400, naming the field', async () => {
      const response = await api.call('POST', '/workflows/reports/executions', { input: {}, name: 'has spaces' });
      expect(response).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_request', details: [{ path: 'name' }] } } });
    });

    it('rejects a body over 256 KB with 413 before parsing it', async () => {
      // GIVEN a body too large that is not even JSON: the size decides, not the parser
      const response = await api.call('POST', '/workflows/reports/executions', undefined, `{${'x'.repeat(256 * 1024)}`);
      expect(response).toMatchObject({ statusCode: 413, body: { error: { code: 'payload_too_large' } } });
    });

    it('answers 404 for an unknown workflow', async () => {
      const response = await api.call('POST', '/workflows/nope/executions', { input: {} });
      expect(response).toMatchObject({ statusCode: 404, body: { error: { code: 'unknown_workflow' } } });
    });

    it('takes at most 3 DynamoDB writes from start to finish', async () => {
      const { DynamoDbExecutionStore } = await import('../../../functions/executions/dynamodb-execution-store.ts');
      expect(api.deps.store).toBeInstanceOf(DynamoDbExecutionStore);
      const name = unique('count');
      const before = api.writes();
      await api.call('POST', '/workflows/reports/executions', { input: {}, name });
      const common = { workflow: 'reports', executionId: name, executionArn: `arn:aws:states:us-east-1:123456789012:execution:reports:${name}`, startDate: '2025-01-01T00:00:00.000Z' };
      await api.deps.store.recordStatus({ ...common, status: 'RUNNING', input: '{}' });
      await api.deps.store.recordStatus({ ...common, status: 'SUCCEEDED', output: '{}', stopDate: '2025-01-01T00:00:01.000Z' });
      expect(api.writes() - before).toBeLessThanOrEqual(3);
    });
  });

  describe('GET /workflows/{name}/executions/{id}', () => {
    it('shows a failed execution with the error message as its cause', async () => {
      const name = unique('failed');
      await api.call('POST', '/workflows/reports/executions', { input: { a: 1 }, name });
      await api.deps.store.recordStatus({
        workflow: 'reports', executionId: name, executionArn: 'arn', status: 'FAILED', startDate: '2025-01-01T00:00:00.000Z',
        stopDate: '2025-01-01T00:00:05.000Z', error: 'RetryableError',
        cause: JSON.stringify({ errorType: 'RetryableError', errorMessage: 'source unavailable', trace: ['at x'] }),
      });
      const response = await api.call('GET', `/workflows/reports/executions/${name}`);
      expect(response).toEqual({
        statusCode: 200,
        headers: expect.anything(),
        body: {
          executionId: name, workflow: 'reports', status: 'FAILED', input: { a: 1 }, output: null,
          error: 'RetryableError', cause: 'source unavailable', startDate: expect.any(String), stopDate: '2025-01-01T00:00:05.000Z', redriveCount: 0,
          tasks: [],
        },
      });
    });

    it('answers 404 for an unknown execution', async () => {
      const response = await api.call('GET', '/workflows/reports/executions/never-started');
      expect(response).toMatchObject({ statusCode: 404, body: { error: { code: 'unknown_execution' } } });
    });
  });

  describe('GET /workflows/{name}/executions', () => {
    it('pages with nextToken and filters by status', async () => {
      // GIVEN three executions of 'events', one of them finished
      for (const name of ['l1', 'l2', 'l3']) await api.call('POST', '/workflows/events/executions', { input: {}, name });
      await api.deps.store.recordStatus({
        workflow: 'events', executionId: 'l2', executionArn: 'arn', status: 'SUCCEEDED', startDate: 'x', stopDate: '2025-01-02T00:00:00.000Z',
      });
      const first = await api.call('GET', '/workflows/events/executions?limit=2');
      expect(first.body.items).toHaveLength(2);
      const second = await api.call('GET', `/workflows/events/executions?limit=2&nextToken=${first.body.nextToken}`);
      const all = [...first.body.items, ...second.body.items].map((i: { executionId: string }) => i.executionId);
      expect(all).toEqual(['l3', 'l2', 'l1']);

      const running = await api.call('GET', '/workflows/events/executions?status=RUNNING');
      expect(running.body.items.map((i: { executionId: string }) => i.executionId)).toEqual(['l3', 'l1']);
    });

    it('rejects a bad status, limit or token with 400', async () => {
      for (const query of ['status=DONE', 'limit=0', 'limit=101', 'limit=abc', 'nextToken=garbage']) {
        const response = await api.call('GET', `/workflows/events/executions?${query}`);
        expect(response.statusCode, query).toBe(400);
        expect(response.body.error.code, query).toMatch(/invalid_request|invalid_next_token/);
      }
    });
  });

  describe('POST /workflows/{name}/executions/{id}/cancel', () => {
    it('stops a running execution (202)', async () => {
      const name = unique('cancel');
      await api.call('POST', '/workflows/reports/executions', { input: {}, name });
      const response = await api.call('POST', `/workflows/reports/executions/${name}/cancel`);
      expect(response).toMatchObject({ statusCode: 202, body: { executionId: name, cancellation: 'requested' } });
      expect(api.engine.describe(executionArn('reports', name))).toMatchObject({ status: 'ABORTED', error: 'Cancelled' });
    });

    it('answers 409 for a finished execution', async () => {
      const name = unique('done');
      await api.call('POST', '/workflows/reports/executions', { input: {}, name });
      await api.deps.store.recordStatus({ workflow: 'reports', executionId: name, executionArn: 'arn', status: 'SUCCEEDED', startDate: 'x', stopDate: 'y' });
      const response = await api.call('POST', `/workflows/reports/executions/${name}/cancel`);
      expect(response).toMatchObject({ statusCode: 409, body: { error: { code: 'execution_not_running' } } });
    });
  });

  describe('routing', () => {
    it('lists the workflows', async () => {
      const response = await api.call('GET', '/workflows');
      expect(response.body).toEqual({
        items: [
          { name: 'events', mode: 'EXPRESS', hasInputSchema: false },
          { name: 'orders', mode: 'STANDARD', hasInputSchema: true },
          { name: 'reports', mode: 'STANDARD', hasInputSchema: false },
        ],
      });
    });

    it('answers 404 for an unknown route and 405 with Allow for a wrong method', async () => {
      expect(await api.call('GET', '/nothing/here')).toMatchObject({ statusCode: 404, body: { error: { code: 'unknown_route' } } });
      const wrong = await api.call('DELETE', '/workflows/orders/executions');
      expect(wrong).toMatchObject({ statusCode: 405, body: { error: { code: 'method_not_allowed' } } });
      expect(wrong.headers.Allow).toBe('POST, GET');
    });

    it('logs an unexpected error with its stack but answers without it', async () => {
      const name = unique('boom');
      api.sfn.failNext('StartExecution', { code: 'InternalError' });
      await api.call('POST', '/workflows/reports/executions', { input: {}, name });
      const logged = api.logs.findLast((l) => l.level === 'error');
      expect(logged?.fields?.stack).toEqual(expect.any(String));
    });
  });
});
