import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../../functions/api/handler.ts';
import { stateMachineArn } from '../../../local/engine/arn.ts';
import { sequential } from '../../local/fixtures/plans.ts';
import { startApiStack, TEST_WORKFLOWS, type ApiStack } from '../../support/api-stack.ts';
import { proxyEvent } from '../../support/proxy-event.ts';

describe('POST /workflows/{name}/executions of an Express workflow', () => {
  let api: ApiStack;
  let call: (path: string, body: unknown) => Promise<{ statusCode: number; body: any }>;

  beforeAll(async () => {
    api = await startApiStack();
    // GIVEN an Express workflow whose TimeoutSeconds fits in an API call
    api.engine.register({ ...sequential('quick', [{ name: 'only', handler: 'echo' }], 10), mode: 'EXPRESS' });
    const handler = createApiHandler({
      ...api.deps,
      workflows: { ...TEST_WORKFLOWS, quick: { stateMachineArn: stateMachineArn('quick'), mode: 'EXPRESS', timeoutSeconds: 10 } },
    });
    call = async (path, body) => {
      const event: APIGatewayProxyEvent = proxyEvent('POST', path, JSON.stringify(body), { 'Content-Type': 'application/json' });
      const response = await handler(event, {} as never);
      return { statusCode: response.statusCode, body: JSON.parse(response.body) };
    };
  });
  afterAll(async () => {
    await api.close();
  });

  it('runs it with StartSyncExecution and answers 200 with how it ended, recorded with its express ARN', async () => {
    const response = await call('/workflows/quick/executions', { input: { n: 1 }, name: 'sync-1' });

    expect(response).toMatchObject({ statusCode: 200, body: { executionId: 'sync-1', status: 'SUCCEEDED', error: null } });
    expect(response.body.output.only).toMatchObject({ input: { n: 1 } });
    expect(api.sfn.calls.filter((c) => c.operation === 'StartSyncExecution')).toHaveLength(1);
    const stored = await api.deps.store.get('quick', 'sync-1');
    expect(stored).toMatchObject({ status: 'SUCCEEDED' });
    expect(stored?.executionArn).toMatch(/:express:quick:sync-1:[0-9a-f-]{36}$/);
  });

  it('starts a long Express workflow asynchronously and keeps the express ARN Step Functions gave it', async () => {
    // 'events' is Express without a TimeoutSeconds: its executions may run 5 minutes
    const response = await call('/workflows/events/executions', { input: {}, name: 'async-1' });
    expect(response).toMatchObject({ statusCode: 202, body: { status: 'RUNNING' } });
    expect((await api.deps.store.get('events', 'async-1'))?.executionArn).toMatch(/:express:events:async-1:[0-9a-f-]{36}$/);
  });
});
