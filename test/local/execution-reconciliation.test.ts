import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbExecutionStore } from '../../functions/executions/dynamodb-execution-store.ts';
import { executionArn, stateMachineArn } from '../../local/engine/arn.ts';
import { LocalEngine } from '../../local/engine/local-engine.ts';
import { reconcileExecutions } from '../../local/execution-reconciliation.ts';
import { countingDocumentClient, createExecutionsTable, startDynalite, type LocalDynamo } from '../support/dynalite.ts';

describe('reconcileExecutions', () => {
  let dynamo: LocalDynamo;
  let store: DynamoDbExecutionStore;
  const engine = new LocalEngine();

  beforeAll(async () => {
    dynamo = await startDynalite();
    store = new DynamoDbExecutionStore({ client: countingDocumentClient(dynamo.endpoint).client, tableName: await createExecutionsTable(dynamo.endpoint) });
  });
  afterAll(async () => {
    await engine.close();
    await dynamo.close();
  });

  it('rewrites an unsettled redriven execution with its redrive count, so its later status changes still apply', async () => {
    // GIVEN a redriven execution the journal had running when the stack stopped
    const running = {
      executionArn: executionArn('orders', 'r-1'),
      stateMachineArn: stateMachineArn('orders'),
      workflow: 'orders',
      name: 'r-1',
      status: 'RUNNING' as const,
      input: '{}',
      startDate: new Date('2025-01-01T00:00:00.000Z'),
      redriveCount: 1,
      redriveDate: new Date('2025-01-02T00:00:00.000Z'),
    };

    // WHEN the store is reconciled from it
    await reconcileExecutions(store, engine, [running]);

    // THEN the record keeps the redrive count, and a stale first-run status no longer applies
    expect(await store.get('orders', 'r-1')).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
    expect(await store.recordStatus({ workflow: 'orders', executionId: 'r-1', executionArn: running.executionArn, status: 'FAILED', startDate: '2025-01-01T00:00:00.000Z', stopDate: '2025-01-01T00:01:00.000Z' })).toBe(false);
    expect(await store.recordStatus({ workflow: 'orders', executionId: 'r-1', executionArn: running.executionArn, status: 'SUCCEEDED', startDate: '2025-01-01T00:00:00.000Z', stopDate: '2025-01-02T00:01:00.000Z', redriveCount: 1 })).toBe(true);
  });
});
