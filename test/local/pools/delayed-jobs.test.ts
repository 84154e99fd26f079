import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WorkflowPlan } from '../../../core/compiler/plan.ts';
import type { PoolDefinition } from '../../../core/definition/pool-model.ts';
import { submitPoolJob } from '../../../functions/api/operations/submit-pool-job.ts';
import { DynamoDbJobStore } from '../../../functions/pools/dynamodb-job-store.ts';
import { DelayedJobs } from '../../../local/pools/delayed-jobs.ts';
import { OfflinePools } from '../../../local/pools/offline-pools.ts';
import { countingDocumentClient, createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';
import { FakeClock } from '../../support/fake-clock.ts';

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo?.close();
});

const pool: PoolDefinition = {
  name: 'later',
  handler: { file: resolve('test/local/fixtures/handlers/pool-jobs.ts'), exportName: 'job' },
  minSize: 0, maxSize: 2, idleTimeoutSeconds: 60, batchSize: 1, timeoutSeconds: 5, memoryMb: 128,
  lanes: [{ name: 'normal', share: 100, concurrency: 2 }],
  monitoring: { healthCheckIntervalSeconds: 30, metricsCollection: false, alerting: false },
  recovery: { autoRestart: true, maxRestarts: 1, restartDelaySeconds: 0 },
};

const MINUTE = 60_000;

describe('jobs delayed past 15 minutes offline', () => {
  it('outlive a restart: a job due while stopped runs at once, the other when its time comes, each exactly once', async () => {
    // GIVEN offline pools on a data dir, under a clock moved by hand
    const dir = mkdtempSync(join(tmpdir(), 'stepflow-delayed-'));
    const table = await createExecutionsTable(dynamo.endpoint);
    const clock = new FakeClock(Date.UTC(2026, 0, 5, 9));
    const start = clock.now();
    const delays = join(dir, 'pool-delays');
    const startPools = () => OfflinePools.start({
      plans: [{ file: 'pools.yaml', pools: [pool] } as unknown as WorkflowPlan],
      region: 'us-east-1', table, dynamodbUrl: dynamo.endpoint, sfnUrl: 'http://127.0.0.1:9',
      dataDir: join(dir, 'sqs'), delayedDir: delays, clock,
    });
    const store = new DynamoDbJobStore({ client: countingDocumentClient(dynamo.endpoint).client, tableName: table });
    const runs = (id: string) => (existsSync(join(dir, `${id}.log`)) ? readFileSync(join(dir, `${id}.log`), 'utf8').trim().split('\n').length : 0);
    let offline = await startPools();
    try {
      // WHEN one job is delayed 16 minutes and one 20, and the pools stop before either is due
      for (const [id, minutes] of [['soon', 16], ['later', 20]] as const) {
        const submitted = await submitPoolJob({ pools: offline.apiDeps(store) }, 'later', { payload: { id, log: join(dir, `${id}.log`) }, delay: minutes * 60 });
        expect(submitted.statusCode).toBe(202);
      }
      expect(readdirSync(delays)).toHaveLength(2);
      await offline.stop();
      clock.jumpTo(start + 17 * MINUTE);
      offline = await startPools();

      // THEN the job due while stopped runs without the clock moving, the other waits for its time
      await vi.waitFor(() => expect(runs('soon')).toBe(1), { timeout: 30_000, interval: 100 });
      await vi.waitFor(() => expect(readdirSync(delays)).toHaveLength(1), { timeout: 5_000, interval: 50 });
      expect(runs('later')).toBe(0);
      expect(offline.delayed.list().map((r) => r.jobId)).toHaveLength(1);

      clock.advanceTo(start + 20 * MINUTE);
      await vi.waitFor(() => expect(runs('later')).toBe(1), { timeout: 30_000, interval: 100 });
      await vi.waitFor(() => expect(readdirSync(delays)).toHaveLength(0), { timeout: 5_000, interval: 50 });
    } finally {
      await offline.stop();
    }
    // AND neither ran twice (a third start finds nothing left to send)
    offline = await startPools();
    await offline.stop();
    expect([runs('soon'), runs('later')]).toEqual([1, 1]);
  }, 90_000);

  it('keeps a record whose send failed and sends it again later', async () => {
    // GIVEN a queue that refuses the first SendMessage
    const dir = mkdtempSync(join(tmpdir(), 'stepflow-delayed-retry-'));
    const clock = new FakeClock(0);
    const sent: string[] = [];
    let refusals = 1;
    const sqs = { send: async (command: { input: { QueueUrl: string; MessageBody: string } }) => {
      if (refusals-- > 0) throw new Error('connection refused');
      sent.push(`${command.input.QueueUrl} ${command.input.MessageBody}`);
      return {};
    } } as unknown as SQSClient;
    const delayed = new DelayedJobs({ sqs, queueUrl: (p, lane) => `http://q/${p}-${lane}`, dir, clock, retryMs: 1000 });
    await delayed.add({ jobId: 'j1', pool: 'p', lane: 'normal', queueUrl: 'http://old/p-normal', body: '{"n":1}', dueAt: 20 * MINUTE });
    // A repeated add (a retried request) keeps one record.
    await delayed.add({ jobId: 'j1', pool: 'p', lane: 'normal', queueUrl: 'http://old/p-normal', body: '{"n":1}', dueAt: 20 * MINUTE });

    // WHEN it falls due and the send fails
    clock.advanceTo(20 * MINUTE);
    await vi.waitFor(() => expect(refusals).toBe(0));
    await new Promise((r) => setImmediate(r));
    // THEN the record stays
    expect(sent).toEqual([]);
    expect(readdirSync(dir)).toEqual(['j1.json']);

    // AND the retry sends it, to the lane's queue of now, once
    clock.advance(1000);
    await vi.waitFor(() => expect(readdirSync(dir)).toEqual([]));
    expect(sent).toEqual(['http://q/p-normal {"n":1}']);
    await delayed.stop();
  });
});
