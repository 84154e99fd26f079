import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/api/handler.ts';
import { createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';
import { startFakeSfn, type FakeSfn } from '../../support/fake-sfn.ts';
import { proxyEvent } from '../../support/proxy-event.ts';

describe('API Lambda entry point', () => {
  let dynamo: LocalDynamo;
  let sfn: FakeSfn;

  beforeAll(async () => {
    dynamo = await startDynalite();
    sfn = await startFakeSfn();
    // GIVEN only the environment a deployed function gets
    process.env.AWS_ENDPOINT_URL_SFN = sfn.endpoint;
    process.env.STEPFLOW_TABLE = await createExecutionsTable(dynamo.endpoint);
    process.env.STEPFLOW_WORKFLOWS = JSON.stringify({ nightly: { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:nightly' } });
  });
  afterAll(async () => {
    await sfn.close();
    await dynamo.close();
  });

  it('builds its dependencies from the environment and serves requests', async () => {
    const started = await handler(proxyEvent('POST', '/workflows/nightly/executions', JSON.stringify({ input: { day: 1 }, name: 'n-1' })), {} as never);
    expect(started.statusCode).toBe(202);
    expect(sfn.calls.map((c) => c.operation)).toEqual(['StartExecution']);
    const read = await handler(proxyEvent('GET', '/workflows/nightly/executions/n-1'), {} as never);
    expect(JSON.parse(read.body)).toMatchObject({ executionId: 'n-1', status: 'RUNNING', input: { day: 1 } });
  });
});
