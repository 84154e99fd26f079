import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeExecutionCommand, ExecutionNotRedrivable, GetExecutionHistoryCommand, RedriveExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDevStack, type DevStack } from '../../local/dev-stack.ts';
import { WorkflowEngine } from '../../client/workflow-engine.ts';
import { callsOf } from './fixtures/handlers/fails-once.ts';

const definitions = fileURLToPath(new URL('./fixtures/redrive', import.meta.url));
let stack: DevStack;
let sfn: SFNClient;
let client: WorkflowEngine;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-redrive-'));
  stack = await startDevStack({ definitionsDir: definitions, dataDir, port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => undefined, taskLog: () => undefined });
  sfn = new SFNClient({ region: 'us-east-1', endpoint: stack.awsUrl, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  client = new WorkflowEngine({ baseUrl: stack.url, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))) });
});
afterAll(async () => {
  sfn?.destroy();
  await stack?.stop();
});

describe('redrive on the offline stack', () => {
  it('redrives a failed execution over the Step Functions protocol of the AWS endpoint', async () => {
    // GIVEN an execution whose second task failed
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: stack.engine.stateMachineArn('orders'), name: 'sdk-1', input: JSON.stringify({ failOnce: ['store'] }) }),
    );
    expect((await stack.engine.wait(executionArn!)).status).toBe('FAILED');
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ redriveCount: 0, redriveStatus: 'REDRIVABLE' });

    // WHEN the SDK redrives it
    const { redriveDate } = await sfn.send(new RedriveExecutionCommand({ executionArn }));
    await stack.engine.wait(executionArn!);

    // THEN it succeeds, its first task having run once in all
    expect(redriveDate).toBeInstanceOf(Date);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, redriveDate, redriveStatus: 'NOT_REDRIVABLE' });
    expect(described.redriveStatusReason).toContain('SUCCEEDED');
    expect(callsOf(executionArn!, 'fetch')).toBe(1);
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events.find((e) => e.type === 'ExecutionRedriven')?.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    // AND a second redrive is refused as AWS refuses it
    await expect(sfn.send(new RedriveExecutionCommand({ executionArn }))).rejects.toBeInstanceOf(ExecutionNotRedrivable);
  });

  it('redrives through the REST API: RUNNING with the redrive count, then the new outcome in the store', async () => {
    const id = await client.execute('orders', { failOnce: ['store'] }, { name: 'api-1' });
    expect(await client.wait('orders', id, { pollMs: 20 })).toMatchObject({ status: 'FAILED', redriveCount: 0 });

    const requested = await client.redrive('orders', id);

    expect(requested).toMatchObject({ executionId: id, workflow: 'orders', redriveCount: 1 });
    await vi.waitFor(async () => expect(await client.status('orders', id)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 }), { timeout: 10_000 });
    const done = await client.status('orders', id);
    expect(done.output).toEqual({ fetch: { task: 'fetch', calls: 1 }, store: { task: 'store', calls: 2 } });
    expect(callsOf(stack.engine.executionArn('orders', id), 'fetch')).toBe(1);
  });

  it('answers 409 for a succeeded execution and for an Express workflow', async () => {
    const ok = await client.execute('orders', {}, { name: 'api-ok' });
    expect((await client.wait('orders', ok, { pollMs: 20 })).status).toBe('SUCCEEDED');
    await expect(client.redrive('orders', ok)).rejects.toMatchObject({ status: 409, code: 'execution_not_redrivable' });

    const fast = await client.execute('quick', { failOnce: ['fetch'] }, { name: 'api-fast' });
    await vi.waitFor(async () => expect((await client.status('quick', fast)).status).toBe('FAILED'), { timeout: 10_000 });
    await expect(client.redrive('quick', fast)).rejects.toMatchObject({ status: 409, code: 'redrive_not_supported' });
  });
});
