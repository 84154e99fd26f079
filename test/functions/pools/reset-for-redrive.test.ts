import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbJobStore } from '../../../functions/pools/dynamodb-job-store.ts';
import type { JobOutcome } from '../../../functions/pools/job-store.ts';
import { countingDocumentClient, createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';

let dynamo: LocalDynamo;
let store: DynamoDbJobStore;

beforeAll(async () => {
  dynamo = await startDynalite();
  store = new DynamoDbJobStore({ client: countingDocumentClient(dynamo.endpoint).client, tableName: await createExecutionsTable(dynamo.endpoint) });
});
afterAll(async () => {
  await dynamo?.close();
});

const T0 = Date.UTC(2027, 0, 1);

/** A job run `attempts` times, each failing, the last settled as `status`. */
async function jobAfter(jobId: string, attempts: number, status: 'dead_lettered' | 'queued' | 'succeeded') {
  const job = { pool: 'shrink', jobId, lane: 'high' };
  await store.create(job, T0);
  for (let i = 1; i <= attempts; i++) {
    const claim = await store.claim(job, 30, T0 + i * 1000);
    expect(claim).toMatchObject({ kind: 'claimed', attempt: i });
    const last = i === attempts;
    const outcome: JobOutcome = !last ? { status: 'queued', error: 'Boom', cause: 'it broke' }
      : status === 'succeeded' ? { status: 'succeeded', result: 1 } : { status, error: 'Boom', cause: 'it broke' };
    await store.settle(job, i, outcome, T0 + i * 1000 + 500);
  }
  return job;
}

describe('DynamoDbJobStore.resetForRedrive', () => {
  it('gives a dead-lettered job a fresh set of attempts: queued, none used, its error gone', async () => {
    const job = await jobAfter('dead', 2, 'dead_lettered');
    await store.resetForRedrive(job, T0 + 10_000);
    const record = await store.get('shrink', 'dead');
    expect(record).toMatchObject({ status: 'queued', attempts: 0, updatedAt: new Date(T0 + 10_000).toISOString() });
    expect(record).not.toHaveProperty('error');
    expect(record).not.toHaveProperty('cause');
    // Its next run is attempt 1 again.
    expect(await store.claim(job, 30, T0 + 11_000)).toEqual({ kind: 'claimed', attempt: 1 });
  });

  it('leaves any other job as it is', async () => {
    const done = await jobAfter('done', 1, 'succeeded');
    await store.resetForRedrive(done, T0 + 10_000);
    expect(await store.get('shrink', 'done')).toMatchObject({ status: 'succeeded', attempts: 1, result: 1 });
    const waiting = await jobAfter('waiting', 1, 'queued');
    await store.resetForRedrive(waiting, T0 + 10_000);
    expect(await store.get('shrink', 'waiting')).toMatchObject({ status: 'queued', attempts: 1, error: 'Boom' });
  });
});
