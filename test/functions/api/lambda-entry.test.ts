import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/api/handler.ts';
import { stateMachineArn } from '../../../local/engine/arn.ts';
import { createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import { startSfnServer, type SfnServer } from '../../../local/emulators/stepfunctions/sfn-server.ts';
import { parkedWorkflow } from '../../support/parked-workflow.ts';
import { proxyEvent } from '../../support/proxy-event.ts';

describe('API Lambda entry point', () => {
  let dynamo: LocalDynamo;
  let engine: LocalEngine;
  let sfn: SfnServer;

  beforeAll(async () => {
    dynamo = await startDynalite();
    engine = new LocalEngine({ plans: [parkedWorkflow('nightly')] });
    sfn = await startSfnServer({ engine, recordCalls: true });
    // GIVEN only the environment a deployed function gets
    process.env.AWS_ENDPOINT_URL_SFN = sfn.url;
    process.env.STEPFLOW_TABLE = await createExecutionsTable(dynamo.endpoint);
    process.env.STEPFLOW_WORKFLOWS = JSON.stringify({ nightly: { stateMachineArn: stateMachineArn('nightly') } });
  });
  afterAll(async () => {
    await sfn.close();
    await engine.close();
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
