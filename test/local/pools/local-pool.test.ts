import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PoolDefinition } from '../../../core/definition/pool-model.ts';
import { DynamoDbJobStore } from '../../../functions/pools/dynamodb-job-store.ts';
import { LocalPool } from '../../../local/pools/local-pool.ts';
import { countingDocumentClient, createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';
import { sqsClient, startLocalSqs } from '../../support/fauxqs.ts';

let dynamo: LocalDynamo;
let sqs: FauxqsServer;
let client: SQSClient;
let pool: LocalPool | undefined;
let seq = 0;

beforeAll(async () => {
  [dynamo, sqs] = await Promise.all([startDynalite(), startLocalSqs()]);
  client = sqsClient(sqs);
});
afterEach(async () => {
  await pool?.stop();
  pool = undefined;
});
afterAll(async () => {
  await Promise.all([dynamo.close(), sqs.stop()]);
});

function definition(overrides: Partial<PoolDefinition> = {}, recovery: Partial<PoolDefinition['recovery']> = {}): PoolDefinition {
  return {
    name: `jobs${++seq}`,
    handler: { file: resolve('test/local/fixtures/handlers/pool-jobs.ts'), exportName: 'job' },
    minSize: 0, maxSize: 3, idleTimeoutSeconds: 60, batchSize: 1, timeoutSeconds: 1, memoryMb: 128,
    lanes: [{ name: 'normal', share: 100, concurrency: overrides.maxSize ?? 3 }],
    monitoring: { healthCheckIntervalSeconds: 30, metricsCollection: false, alerting: false },
    recovery: { autoRestart: true, maxRestarts: 3, restartDelaySeconds: 0, ...recovery },
    ...overrides,
  };
}

async function startPool(def: PoolDefinition) {
  const table = await createExecutionsTable(dynamo.endpoint);
  pool = new LocalPool({
    pool: def, sqs: client, table,
    aws: { region: 'us-east-1', endpoints: { dynamodb: dynamo.endpoint, sqs: sqs.address }, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  });
  await pool.start();
  const store = new DynamoDbJobStore({ client: countingDocumentClient(dynamo.endpoint).client, tableName: table });
  const log = join(mkdtempSync(join(tmpdir(), 'pool-')), 'runs.log');
  const queueUrl = pool.queues.normal.url;
  const send = async (jobs: { id: string; ms?: number; poison?: boolean }[]) => {
    for (let i = 0; i < jobs.length; i += 10) {
      await client.send(new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: jobs.slice(i, i + 10).map((j, k) => ({ Id: String(k), MessageBody: JSON.stringify({ pool: def.name, lane: 'normal', jobId: j.id, payload: { ...j, log } }) })),
      }));
    }
  };
  const runs = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; start: number; end: number }) : []);
  const deadLettered = () => sqs.inspectQueue(`${def.name}-normal-dlq`)!.messages.ready.map((m) => JSON.parse(m.body).jobId as string);
  const settled = async (ids: string[]) => {
    const dlq = new Set(deadLettered());
    const records = await Promise.all(ids.map((id) => store.get(def.name, id)));
    return records.every((r, i) => r?.status === 'succeeded' || dlq.has(ids[i]));
  };
  const until = async (done: () => Promise<boolean> | boolean) => {
    while (!(await done())) await new Promise((r) => setTimeout(r, 250));
  };
  return { pool: pool!, store, send, runs, deadLettered, settled, until, table };
}

/** Most runs overlapping at any instant. */
function peakOverlap(runs: { start: number; end: number }[]): number {
  const edges = runs.flatMap((r) => [[r.start, 1], [r.end, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, delta] of edges) peak = Math.max(peak, (now += delta));
  return peak;
}

describe('LocalPool', () => {
  it('runs every job once in real worker processes, never more at once than max_size', async () => {
    const { send, runs, until, settled } = await startPool(definition({ maxSize: 3 }));
    const ids = Array.from({ length: 30 }, (_, i) => `job-${i}`);

    await send(ids.map((id) => ({ id, ms: 20 })));
    await until(() => settled(ids));

    expect(runs().map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(peakOverlap(runs())).toBeLessThanOrEqual(3);
    expect(new Set(runs().map((r) => (r as unknown as { pid: number }).pid)).size).toBeLessThanOrEqual(3);
  });

  it('dead-letters a poison job after exactly max_restarts + 1 attempts while its batch-mates run once', async () => {
    const { send, runs, until, deadLettered, store, pool: p } = await startPool(definition({ batchSize: 3 }, { maxRestarts: 2 }));

    await send([{ id: 'a' }, { id: 'poison', poison: true }, { id: 'b' }]);
    await until(() => deadLettered().length === 1);

    const count = (id: string) => runs().filter((r) => r.id === id).length;
    expect({ a: count('a'), b: count('b'), poison: count('poison') }).toEqual({ a: 1, b: 1, poison: 3 });
    expect(await store.get(p.definition.name, 'poison')).toMatchObject({ status: 'dead_lettered', attempts: 3 });
  });

  it('loses no job to 50 workers killed mid-job: every job ends succeeded or dead-lettered', async () => {
    const { send, until, settled, store, deadLettered, pool: p } = await startPool(definition({ maxSize: 4, lanes: [{ name: 'normal', share: 100, concurrency: 4 }] }, { maxRestarts: 20 }));
    const ids = Array.from({ length: 80 }, (_, i) => `job-${i}`);
    await send(ids.map((id) => ({ id, ms: 40 })));

    let kills = 0;
    while (kills < 50) {
      const busy = p.liveWorkers().find((w) => w.state === 'busy');
      if (busy) {
        busy.kill();
        kills++;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => settled(ids));

    const records = await Promise.all(ids.map((id) => store.get(p.definition.name, id)));
    const outcome = { succeeded: records.filter((r) => r?.status === 'succeeded').length, deadLettered: deadLettered().length };
    console.log(JSON.stringify({ kills, ...outcome, restarts: p.snapshot().restarts }));
    expect(kills).toBe(50);
    expect(outcome.succeeded + outcome.deadLettered).toBe(ids.length);
  }, 240_000);

  it('starts at most rate_limit.max jobs in each window of rate_limit.per, across workers', async () => {
    const def = definition({ maxSize: 3, rateLimit: { max: 3, perSeconds: 2 } });
    const { send, until, settled, runs, table } = await startPool(def);
    const ids = Array.from({ length: 9 }, (_, i) => `job-${i}`);
    await send(ids.map((id) => ({ id, ms: 10 })));
    await until(() => settled(ids));

    expect(runs().map((r) => r.id).sort()).toEqual([...ids].sort());
    // The limiter's windows: none admitted more than 3, and the 9 starts needed at least three of them.
    const { Items = [] } = await countingDocumentClient(dynamo.endpoint).client.send(new QueryCommand({
      TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `RATE#pool:${def.name}` },
    }));
    const admitted = Items.map((i) => i.admitted as number);
    expect(admitted.every((n) => n <= 3)).toBe(true);
    // Admission comes before the job's claim, so a redelivered copy that then finds the job taken has spent one too.
    expect(admitted.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(9);
    expect(Items.length).toBeGreaterThanOrEqual(3);
    const starts = runs().map((r) => r.start);
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThan(2000);
  });
});

describe('LocalPool lanes, spare worker and stalls', () => {
  it('GIVEN every lane loaded THEN high-lane jobs finish first on average while normal-lane jobs still progress', async () => {
    const def = definition({ maxSize: 2, lanes: [{ name: 'high', share: 50, concurrency: 1 }, { name: 'normal', share: 50, concurrency: 1 }] });
    const { pool: p, until, settled } = await startPool(def);
    const log = join(mkdtempSync(join(tmpdir(), 'lanes-')), 'runs.log');
    const sendTo = async (lane: 'high' | 'normal', ids: string[]) => {
      for (let i = 0; i < ids.length; i += 10) {
        await client.send(new SendMessageBatchCommand({
          QueueUrl: p.queues[lane].url,
          Entries: ids.slice(i, i + 10).map((id, k) => ({ Id: String(k), MessageBody: JSON.stringify({ pool: def.name, lane, jobId: id, payload: { id, log, ms: 30 } }) })),
        }));
      }
    };
    const normal = Array.from({ length: 20 }, (_, i) => `normal-${i}`);
    const high = Array.from({ length: 20 }, (_, i) => `high-${i}`);
    p.pause();
    await sendTo('normal', normal);
    await sendTo('high', high);
    p.resume();
    await until(() => settled([...normal, ...high]));

    const ran = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; end: number }) : [];
    const meanEnd = (prefix: string) => { const ends = ran.filter((r) => r.id.startsWith(prefix)).map((r) => r.end); return ends.reduce((a, b) => a + b, 0) / ends.length; };
    const lastHigh = Math.max(...ran.filter((r) => r.id.startsWith('high')).map((r) => r.end));
    expect(new Set(ran.map((r) => r.id)).size).toBe(40);
    expect(meanEnd('high')).toBeLessThan(meanEnd('normal'));
    expect(ran.filter((r) => r.id.startsWith('normal') && r.end < lastHigh).length).toBeGreaterThan(0);
  }, 60_000);

  it('GIVEN a busy worker that dies THEN its job runs again on the standby process, loaded before the crash', async () => {
    // Long enough for the standby to load beside it, however slow process starts are.
    const { pool: p, send, runs, until, settled, store } = await startPool(definition({ maxSize: 2, timeoutSeconds: 60 }));
    await send([{ id: 'long', ms: 20_000 }]);
    let busy: ReturnType<typeof p.liveWorkers>[number] | undefined;
    let standby: number | undefined;
    while (!busy || standby === undefined || (await store.get(p.definition.name, 'long'))?.status !== 'running') {
      await new Promise((r) => setTimeout(r, 50));
      busy = p.liveWorkers().find((w) => w.state === 'busy');
      standby = p.liveWorkers().find((w) => w.standby && w.state === 'idle')?.pid;
    }
    busy.kill();
    await until(() => settled(['long']));

    expect(runs().map((r) => ({ id: r.id, pid: (r as unknown as { pid: number }).pid }))).toEqual([{ id: 'long', pid: standby }]);
    expect(await store.get(p.definition.name, 'long')).toMatchObject({ status: 'succeeded', attempts: 2 });
  }, 120_000);

  it('GIVEN a worker frozen mid-job (SIGSTOP) THEN its job runs again in another process before the job timeout and ends succeeded', async () => {
    const timeoutSeconds = 20;
    const { pool: p, send, runs, until, settled, store } = await startPool(definition({ maxSize: 2, timeoutSeconds }));
    await send([{ id: 'slow', ms: 2000 }]);
    let frozen: ReturnType<typeof p.liveWorkers>[number] | undefined;
    // Frozen once its run has claimed the job (the handler is running).
    while (!frozen || (await store.get(p.definition.name, 'slow'))?.status !== 'running') {
      await new Promise((r) => setTimeout(r, 20));
      frozen = p.liveWorkers().find((w) => w.state === 'busy');
    }
    process.kill(frozen.pid!, 'SIGSTOP');
    const frozenAt = Date.now();
    try {
      await until(() => settled(['slow']));
    } finally {
      if (frozen.state !== 'stopped') process.kill(frozen.pid!, 'SIGKILL');
    }

    const [run, ...more] = runs() as unknown as { id: string; start: number; pid: number }[];
    expect(more).toEqual([]); // the frozen run never got to its side effect: it was killed
    expect(run.pid).not.toBe(frozen.pid);
    // Taken over after the stall timeout (a few heartbeat intervals), not after the job timeout.
    expect(run.start - frozenAt).toBeLessThan(timeoutSeconds * 1000);
    expect(await store.get(p.definition.name, 'slow')).toMatchObject({ status: 'succeeded', attempts: 2 });
  }, 60_000);
});
