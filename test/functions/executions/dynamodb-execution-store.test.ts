import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadRequest } from '../../../core/errors.ts';
import { DynamoDbExecutionStore } from '../../../functions/executions/dynamodb-execution-store.ts';
import type { NewExecution, StatusChange } from '../../../functions/executions/execution-store.ts';
import { countingDocumentClient, createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:orders:';

function newExecution(id: string, startDate = '2025-01-01T00:00:00.000Z'): NewExecution {
  return { workflow: 'orders', executionId: id, executionArn: ARN + id, input: { id }, inputHash: `hash-${id}`, startDate };
}

function change(id: string, status: StatusChange['status'], fields: Partial<StatusChange> = {}): StatusChange {
  return { workflow: 'orders', executionId: id, executionArn: ARN + id, status, startDate: '2025-01-01T00:00:00.000Z', ...fields };
}

describe('DynamoDbExecutionStore', () => {
  let dynamo: LocalDynamo;
  let store: DynamoDbExecutionStore;
  let writes: () => number;

  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(async () => {
    await dynamo.close();
  });
  beforeEach(async () => {
    const counting = countingDocumentClient(dynamo.endpoint);
    writes = counting.writes;
    store = new DynamoDbExecutionStore({ client: counting.client, tableName: await createExecutionsTable(dynamo.endpoint) });
  });

  describe('create', () => {
    it('records a new execution as RUNNING', async () => {
      const result = await store.create(newExecution('a'));
      expect(result).toEqual({
        created: true,
        record: {
          workflow: 'orders', executionId: 'a', executionArn: ARN + 'a', status: 'RUNNING', startDate: '2025-01-01T00:00:00.000Z',
          input: { id: 'a' }, inputHash: 'hash-a', redriveCount: 0,
        },
      });
      expect(await store.get('orders', 'a')).toEqual(result.created ? result.record : undefined);
    });

    it('returns the existing record instead of overwriting it', async () => {
      await store.create(newExecution('a'));
      const second = await store.create({ ...newExecution('a'), input: { other: true }, inputHash: 'other' });
      expect(second.created).toBe(false);
      expect(!second.created && second.existing.inputHash).toBe('hash-a');
      expect((await store.get('orders', 'a'))?.input).toEqual({ id: 'a' });
    });
  });

  describe('recordStatus', () => {
    it('creates the record of an execution started elsewhere (e.g. an EventBridge trigger)', async () => {
      // GIVEN no record WHEN a RUNNING change arrives
      expect(await store.recordStatus(change('t', 'RUNNING', { input: '{"from":"trigger"}' }))).toBe(true);
      // THEN the execution is recorded, listed and readable
      expect(await store.get('orders', 't')).toMatchObject({ status: 'RUNNING', input: { from: 'trigger' } });
      expect((await store.list('orders', { status: 'RUNNING' })).items.map((i) => i.executionId)).toEqual(['t']);
    });

    it('never moves a terminal status back to RUNNING (late or repeated events)', async () => {
      await store.create(newExecution('a'));
      expect(await store.recordStatus(change('a', 'SUCCEEDED', { stopDate: '2025-01-01T00:01:00.000Z', output: '{"ok":1}' }))).toBe(true);
      // WHEN the RUNNING event arrives after the terminal one
      expect(await store.recordStatus(change('a', 'RUNNING'))).toBe(false);
      // THEN the terminal status and its output stay
      expect(await store.get('orders', 'a')).toMatchObject({ status: 'SUCCEEDED', output: { ok: 1 }, stopDate: '2025-01-01T00:01:00.000Z' });
      expect((await store.list('orders', { status: 'RUNNING' })).items).toEqual([]);
      expect((await store.list('orders', { status: 'SUCCEEDED' })).items).toHaveLength(1);
    });

    it('lets a redriven execution run again and clears the old failure', async () => {
      await store.recordStatus(change('a', 'FAILED', { error: 'Boom', cause: 'bad', stopDate: '2025-01-01T00:01:00.000Z' }));
      expect(await store.recordStatus(change('a', 'RUNNING', { redriveCount: 1 }))).toBe(true);
      const record = await store.get('orders', 'a');
      expect(record).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
      expect(record).not.toHaveProperty('error');
      expect(record).not.toHaveProperty('stopDate');
    });

    it('keeps the input next to a large output by marking the output truncated', async () => {
      const big = JSON.stringify({ data: 'x'.repeat(200_000) });
      await store.recordStatus(change('a', 'SUCCEEDED', { input: big, output: big, stopDate: '2025-01-01T00:01:00.000Z' }));
      const record = await store.get('orders', 'a');
      expect(record).toMatchObject({ status: 'SUCCEEDED', outputTruncated: true });
      expect(record).not.toHaveProperty('output');
    });
  });

  it('takes at most 3 write requests from start to finish', async () => {
    await store.create(newExecution('a'));
    await store.recordStatus(change('a', 'RUNNING', { input: '{"id":"a"}' }));
    await store.recordStatus(change('a', 'SUCCEEDED', { stopDate: '2025-01-01T00:01:00.000Z', output: '{}' }));
    expect(writes()).toBeLessThanOrEqual(3);
  });

  describe('discard', () => {
    it('removes a record whose execution never started, but not a finished one', async () => {
      await store.create(newExecution('a'));
      await store.create(newExecution('b'));
      await store.recordStatus(change('b', 'SUCCEEDED', { stopDate: '2025-01-01T00:01:00.000Z' }));
      await store.discard('orders', 'a');
      await store.discard('orders', 'b');
      expect(await store.get('orders', 'a')).toBeUndefined();
      expect((await store.get('orders', 'b'))?.status).toBe('SUCCEEDED');
    });
  });

  describe('list', () => {
    beforeEach(async () => {
      for (let i = 0; i < 5; i++) await store.create(newExecution(`e${i}`, `2025-01-01T00:00:0${i}.000Z`));
      await store.recordStatus(change('e1', 'FAILED', { stopDate: '2025-01-01T00:01:00.000Z', error: 'Boom' }));
      await store.recordStatus(change('e3', 'FAILED', { stopDate: '2025-01-01T00:01:00.000Z', error: 'Boom' }));
    });

    it('pages through every execution newest first', async () => {
      const seen: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await store.list('orders', { limit: 2, nextToken });
        seen.push(...page.items.map((i) => i.executionId));
        nextToken = page.nextToken;
        pages++;
      } while (nextToken);
      expect(seen).toEqual(['e4', 'e3', 'e2', 'e1', 'e0']);
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    it('filters by status across pages', async () => {
      const first = await store.list('orders', { status: 'FAILED', limit: 1 });
      expect(first.items).toEqual([
        { workflow: 'orders', executionId: 'e3', status: 'FAILED', startDate: '2025-01-01T00:00:03.000Z', stopDate: '2025-01-01T00:01:00.000Z', error: 'Boom' },
      ]);
      const second = await store.list('orders', { status: 'FAILED', limit: 1, nextToken: first.nextToken });
      expect(second.items.map((i) => i.executionId)).toEqual(['e1']);
    });

    it('rejects a token that is garbage or belongs to another listing', async () => {
      const running = await store.list('orders', { status: 'RUNNING', limit: 1 });
      await expect(store.list('orders', { nextToken: 'not-a-token' })).rejects.toBeInstanceOf(BadRequest);
      await expect(store.list('orders', { status: 'FAILED', nextToken: running.nextToken })).rejects.toBeInstanceOf(BadRequest);
      await expect(store.list('orders', { nextToken: running.nextToken })).rejects.toBeInstanceOf(BadRequest);
    });
  });
});
