import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { NonRetriableError } from '../../../core/errors.ts';
import { createRecorder, handler, workflowOf } from '../../../functions/recorder/handler.ts';
import { DynamoDbExecutionStore } from '../../../functions/executions/dynamodb-execution-store.ts';
import { countingDocumentClient, createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';

const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:OrdersStateMachine-AbC123';

/** An event as in https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html, changed per test. */
function statusEvent(status: string, detail: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: 'e-1',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '123456789012',
    time: '2025-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:states:us-east-1:123456789012:execution:OrdersStateMachine-AbC123:run-1'],
    detail: {
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:OrdersStateMachine-AbC123:run-1',
      stateMachineArn: MACHINE,
      name: 'run-1',
      status,
      startDate: 1735689600000,
      stopDate: status === 'RUNNING' ? null : 1735689660000,
      input: '{"orderId":"o-1"}',
      inputDetails: { included: true },
      output: status === 'SUCCEEDED' ? '{"charge":{"id":"ch_1"}}' : null,
      outputDetails: status === 'SUCCEEDED' ? { included: true } : null,
      error: null,
      cause: null,
      ...detail,
    },
  };
}

describe('recorder', () => {
  let dynamo: LocalDynamo;
  let store: DynamoDbExecutionStore;
  let tableName: string;
  let record: ReturnType<typeof createRecorder>;

  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(async () => {
    await dynamo.close();
  });
  beforeEach(async () => {
    tableName = await createExecutionsTable(dynamo.endpoint);
    store = new DynamoDbExecutionStore({ client: countingDocumentClient(dynamo.endpoint).client, tableName });
    record = createRecorder({ store, workflows: { orders: { stateMachineArn: MACHINE, mode: 'STANDARD' } }, logger: () => {} });
  });

  it('records an execution started outside the API under its workflow name', async () => {
    expect(await record(statusEvent('RUNNING'))).toEqual({ recorded: true });
    expect(await store.get('orders', 'run-1')).toMatchObject({
      status: 'RUNNING', input: { orderId: 'o-1' }, startDate: '2025-01-01T00:00:00.000Z',
    });
  });

  it('records the terminal status with output, and ignores a RUNNING event that arrives after it', async () => {
    await record(statusEvent('SUCCEEDED'));
    expect(await record(statusEvent('RUNNING'))).toEqual({ recorded: false });
    expect(await store.get('orders', 'run-1')).toMatchObject({
      status: 'SUCCEEDED', output: { charge: { id: 'ch_1' } }, stopDate: '2025-01-01T00:01:00.000Z',
    });
  });

  it('keeps the error and raw cause of a failed execution', async () => {
    const cause = JSON.stringify({ errorType: 'ServiceRejected', errorMessage: 'HTTP 400', trace: [] });
    await record(statusEvent('FAILED', { error: 'ServiceRejected', cause }));
    expect(await store.get('orders', 'run-1')).toMatchObject({ status: 'FAILED', error: 'ServiceRejected', cause });
  });

  it('does not store a payload the event left out', async () => {
    await record(statusEvent('SUCCEEDED', { output: null, outputDetails: { included: false } }));
    expect(await store.get('orders', 'run-1')).not.toHaveProperty('output');
  });

  it('refuses an event that is not a status change, without retry', async () => {
    await expect(record({ source: 'aws.states', detail: {} })).rejects.toBeInstanceOf(NonRetriableError);
  });

  it('names the workflow from the configuration, else from the state machine ARN', () => {
    const byArn = new Map([[MACHINE, 'orders']]);
    expect(workflowOf(MACHINE, byArn)).toBe('orders');
    expect(workflowOf(`${MACHINE}:3`, byArn)).toBe('orders');
    expect(workflowOf('arn:aws:states:us-east-1:123456789012:stateMachine:reports', byArn)).toBe('reports');
  });

  it('runs as a Lambda handler configured from the environment', async () => {
    process.env.STEPFLOW_TABLE = tableName;
    process.env.STEPFLOW_WORKFLOWS = JSON.stringify({ orders: { stateMachineArn: MACHINE } });
    await handler(statusEvent('RUNNING'));
    expect((await store.get('orders', 'run-1'))?.status).toBe('RUNNING');
  });
});

describe('recorder fed by an Express log group subscription', () => {
  const EXPRESS_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:Quick';
  const EXPRESS_ARN = 'arn:aws:states:us-east-1:123456789012:express:Quick:q-1:5a7c1f0e-0000-4000-8000-000000000001';
  let dynamo: LocalDynamo;
  let store: DynamoDbExecutionStore;
  let record: ReturnType<typeof createRecorder>;

  /** A delivery as https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html describes it. */
  function delivery(...messages: Record<string, unknown>[]) {
    const data = {
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/aws/vendedlogs/states/quick',
      logStream: 'states/quick/2025-01-01',
      subscriptionFilters: ['execution-status'],
      logEvents: messages.map((m, i) => ({ id: String(i), timestamp: 0, message: JSON.stringify(m) })),
    };
    return { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } };
  }
  const logRecord = (type: string, at: string, details: Record<string, unknown>) => ({
    id: '1', type, details, previous_event_id: '0', event_timestamp: at, execution_arn: EXPRESS_ARN, redrive_count: '0',
  });

  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(async () => {
    await dynamo.close();
  });
  beforeEach(async () => {
    const tableName = await createExecutionsTable(dynamo.endpoint);
    store = new DynamoDbExecutionStore({ client: countingDocumentClient(dynamo.endpoint).client, tableName });
    record = createRecorder({ store, workflows: { quick: { stateMachineArn: EXPRESS_MACHINE, mode: 'EXPRESS' } }, logger: () => {} });
  });

  it('records the start and the end of an Express execution under its name, with its express ARN', async () => {
    const result = await record(
      delivery(
        logRecord('ExecutionStarted', '1735689600000', { input: '{"n":1}', inputDetails: { truncated: false } }),
        logRecord('ExecutionSucceeded', '1735689601000', { output: '{"only":2}', outputDetails: { truncated: false } }),
      ),
    );
    expect(result).toEqual({ recorded: true });
    expect(await store.get('quick', 'q-1')).toMatchObject({
      executionArn: EXPRESS_ARN,
      status: 'SUCCEEDED',
      input: { n: 1 },
      output: { only: 2 },
      startDate: '2025-01-01T00:00:00.000Z',
      stopDate: '2025-01-01T00:00:01.000Z',
    });
  });

  it('keeps a failure and ignores control messages and undecodable data (the latter without retry)', async () => {
    await record(delivery(logRecord('ExecutionFailed', '1735689601000', { error: 'Boom', cause: 'it broke' })));
    expect(await store.get('quick', 'q-1')).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'it broke' });
    const control = { awslogs: { data: gzipSync(JSON.stringify({ messageType: 'CONTROL_MESSAGE', logEvents: [] })).toString('base64') } };
    expect(await record(control)).toEqual({ recorded: false });
    await expect(record({ awslogs: { data: 'not gzip' } })).rejects.toBeInstanceOf(NonRetriableError);
  });
});
