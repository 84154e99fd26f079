import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../../functions/api/handler.ts';
import type { ExecutionRunner } from '../../../functions/executions/execution-runner.ts';
import { proxyEvent } from '../../support/proxy-event.ts';
import { startApiStack, type ApiStack } from '../../support/api-stack.ts';

describe('POST /workflows/{name}/executions/{id}/redrive', () => {
  let api: ApiStack;
  let seq = 0;
  const failed = async (workflow: string) => {
    const name = `failed-${++seq}`;
    await api.call('POST', `/workflows/${workflow}/executions`, { input: workflow === 'orders' ? { orderId: 'o', amount: 1 } : {}, name });
    await api.deps.store.recordStatus({ workflow, executionId: name, executionArn: `arn:${name}`, status: 'FAILED', startDate: 'x', stopDate: 'y', error: 'Boom' });
    return name;
  };

  beforeAll(async () => {
    api = await startApiStack();
  });
  afterAll(async () => {
    await api.close();
  });

  it('asks Step Functions to redrive a failed execution (202) and GET shows the redrive count', async () => {
    // GIVEN a runner whose Step Functions redrives
    const asked: string[] = [];
    const runner: ExecutionRunner = {
      start: (r) => api.deps.runner.start(r),
      startSync: (r) => api.deps.runner.startSync(r),
      stop: (arn, reason) => api.deps.runner.stop(arn, reason),
      redrive: async (arn) => {
        asked.push(arn);
        return { outcome: 'redriven', redriveDate: new Date('2025-01-02T00:00:00.000Z') };
      },
    };
    const handler = createApiHandler({ ...api.deps, runner });
    const name = await failed('reports');

    const response = await handler(proxyEvent('POST', `/workflows/reports/executions/${name}/redrive`, null, {}), {} as never);

    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ executionId: name, workflow: 'reports', redrive: 'requested', redriveCount: 1, redriveDate: '2025-01-02T00:00:00.000Z' });
    expect(asked).toEqual([`arn:${name}`]);
    // WHEN Step Functions reports the redriven execution running
    await api.deps.store.recordStatus({ workflow: 'reports', executionId: name, executionArn: `arn:${name}`, status: 'RUNNING', startDate: 'x', redriveCount: 1 });
    expect((await api.call('GET', `/workflows/reports/executions/${name}`)).body).toMatchObject({ status: 'RUNNING', redriveCount: 1, stopDate: null });
  });

  it('answers 409 for a running execution and for an Express workflow', async () => {
    await api.call('POST', '/workflows/reports/executions', { input: {}, name: 'still-running' });
    expect(await api.call('POST', '/workflows/reports/executions/still-running/redrive')).toMatchObject({
      statusCode: 409, body: { error: { code: 'execution_not_redrivable' } },
    });
    const express = await failed('events');
    expect(await api.call('POST', `/workflows/events/executions/${express}/redrive`)).toMatchObject({
      statusCode: 409, body: { error: { code: 'redrive_not_supported' } },
    });
  });

  it('answers 501 offline, where the engine cannot resume an execution from its failed state', async () => {
    const name = await failed('reports');
    expect(await api.call('POST', `/workflows/reports/executions/${name}/redrive`)).toMatchObject({
      statusCode: 501, body: { error: { code: 'not_implemented' } },
    });
  });

  it('answers 404 for an unknown execution', async () => {
    expect(await api.call('POST', '/workflows/reports/executions/nope/redrive')).toMatchObject({ statusCode: 404 });
  });
});
