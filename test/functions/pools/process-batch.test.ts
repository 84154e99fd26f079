import { ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { poolHeartbeat } from '../../../core/definition/pool-heartbeat.ts';
import { NonRetriableError } from '../../../core/errors.ts';
import { DynamoDbJobStore } from '../../../functions/pools/dynamodb-job-store.ts';
import { failedMessageIds } from '../../../functions/pools/batch-response.ts';
import { jobOfMessage, processBatch, type JobHandler, type ProcessBatchDeps, type TaskAnswer } from '../../../functions/pools/process-batch.ts';
import { countingDocumentClient, createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';
import { sqsClient, startLocalSqs } from '../../support/fauxqs.ts';

let dynamo: LocalDynamo;
let sqs: FauxqsServer;
let client: SQSClient;
let queueSeq = 0;

beforeAll(async () => {
  [dynamo, sqs] = await Promise.all([startDynalite(), startLocalSqs()]);
  client = sqsClient(sqs);
});
afterAll(async () => {
  await Promise.all([dynamo.close(), sqs.stop()]);
});

/** A queue with a dead-letter queue after `maxReceiveCount` receives, as the pool's CDK construct makes. */
async function poolQueue(maxReceiveCount: number) {
  const name = `jobs-${++queueSeq}`;
  const dlq = await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const queue = await client.send(new CreateQueueCommand({
    QueueName: name,
    Attributes: { VisibilityTimeout: '30', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: String(maxReceiveCount) }) },
  }));
  return { url: queue.QueueUrl!, arn: dlqArn.replace(/-dlq$/, ''), name };
}

async function harness(handler: JobHandler, maxAttempts = 3) {
  const table = await createExecutionsTable(dynamo.endpoint);
  const queue = await poolQueue(maxAttempts);
  const answers: { token: string; outcome: TaskAnswer }[] = [];
  const deps: ProcessBatchDeps = {
    pool: { name: 'thumbnails', timeoutSeconds: 5, maxAttempts, restartDelaySeconds: 0 },
    handler,
    store: new DynamoDbJobStore({ client: countingDocumentClient(dynamo.endpoint).client, tableName: table }),
    answerTask: async (token, outcome) => {
      answers.push({ token, outcome });
    },
    retryAfter: async (record, seconds) => {
      await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queue.url, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
    },
    now: Date.now,
    logger: () => undefined,
  };
  const send = (body: object) => client.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify(body) }));
  /** One poll as an SQS event source does it: receive a batch, invoke, delete what the response does not name. */
  const poll = async (): Promise<{ event: SQSEvent; failed: string[] }> => {
    const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    const event: SQSEvent = { Records: Messages.map((m) => sqsRecord(m.MessageId!, m.ReceiptHandle!, m.Body!, Number(m.Attributes?.ApproximateReceiveCount ?? 1), queue.arn)) };
    const failed = failedMessageIds(event.Records.map((r) => r.messageId), await processBatch(event, deps));
    const done = event.Records.filter((r) => !failed.includes(r.messageId));
    if (done.length) await client.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })) }));
    return { event, failed };
  };
  const deadLettered = () => sqs.inspectQueue(`${queue.name}-dlq`)!.messages.ready.map((m) => JSON.parse(m.body).jobId as string);
  return { deps, send, poll, answers, deadLettered };
}

function sqsRecord(messageId: string, receiptHandle: string, body: string, receiveCount: number, arn: string): SQSRecord {
  return {
    messageId, receiptHandle, body, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: arn, awsRegion: 'us-east-1', messageAttributes: {},
    attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0' },
  };
}

describe('processBatch', () => {
  it('GIVEN a poison job in a batch THEN it is dead-lettered after exactly max_restarts + 1 attempts while its batch-mates run once', async () => {
    const runs: Record<string, number> = {};
    const { send, poll, deadLettered, deps } = await harness(async (payload) => {
      const { id } = payload as { id: string };
      runs[id] = (runs[id] ?? 0) + 1;
      if (id === 'poison') throw new Error('corrupt image');
      return { id };
    }, 4);
    for (const id of ['a', 'poison', 'b']) await send({ pool: 'thumbnails', lane: 'normal', jobId: id, payload: { id } });

    let polls = 0;
    while (deadLettered().length === 0 && polls++ < 20) await poll();

    expect(runs).toEqual({ a: 1, b: 1, poison: 4 });
    expect(deadLettered()).toEqual(['poison']);
    expect(await deps.store.get('thumbnails', 'poison')).toMatchObject({ status: 'dead_lettered', attempts: 4, error: 'Error', cause: '{"errorType":"Error","errorMessage":"corrupt image"}' });
    expect(await deps.store.get('thumbnails', 'a')).toMatchObject({ status: 'succeeded', attempts: 1, result: { id: 'a' } });
  });

  it('GIVEN a worker whose next batch came early THEN a job is settled before the next handler starts', async () => {
    // GIVEN handlers run one at a time, as a worker process runs them, and a handler that reads the first job's record
    let turn: Promise<unknown> = Promise.resolve();
    const exclusive = <T,>(run: () => Promise<T>): Promise<T> => {
      const mine = turn.then(run);
      turn = mine.catch(() => undefined);
      return mine;
    };
    const statusWhenSecondStarted: (string | undefined)[] = [];
    let firstStarted!: () => void;
    const firstRunning = new Promise<void>((resolve) => (firstStarted = resolve));
    const { deps } = await harness(async (payload) => {
      const { id } = payload as { id: string };
      if (id === 'first') firstStarted();
      // The first handler ends once the second batch is claimed and waits for its turn.
      if (id === 'first') await vi.waitFor(async () => expect((await deps.store.get('thumbnails', 'second'))?.status).toBe('running'), { interval: 5 });
      if (id === 'second') statusWhenSecondStarted.push((await deps.store.get('thumbnails', 'first'))?.status);
      return { id };
    });
    // A settle write slower than the next handler's first read.
    const store = { ...deps.store, get: deps.store.get.bind(deps.store), claim: deps.store.claim.bind(deps.store), progress: deps.store.progress.bind(deps.store),
      settle: async (...args: Parameters<typeof deps.store.settle>) => {
        await new Promise((r) => setTimeout(r, 50));
        return deps.store.settle(...args);
      } };
    const event = (id: string): SQSEvent => ({ Records: [sqsRecord(`m-${id}`, `r-${id}`, JSON.stringify({ pool: 'thumbnails', lane: 'normal', jobId: id, payload: { id } }), 1, 'arn:aws:sqs:us-east-1:000000000000:none')] });

    // WHEN the second batch is given to the worker while the first job runs
    const first = processBatch(event('first'), { ...deps, store, exclusive });
    await firstRunning;
    const second = processBatch(event('second'), { ...deps, store, exclusive });
    await Promise.all([first, second]);

    // THEN the second handler started with the first job recorded succeeded (a crash in it cannot run the first again)
    expect(statusWhenSecondStarted).toEqual(['succeeded']);
  });

  it('GIVEN the same message delivered again after it succeeded THEN the handler ran once and the redelivery is deleted', async () => {
    let sideEffects = 0;
    const { deps } = await harness(async () => ++sideEffects);
    const record = sqsRecord('m-1', 'r-1', JSON.stringify({ pool: 'thumbnails', lane: 'normal', jobId: 'once', payload: {} }), 1, 'arn:aws:sqs:us-east-1:000000000000:jobs');

    const first = await processBatch({ Records: [record] }, deps);
    const again = await processBatch({ Records: [{ ...record, receiptHandle: 'r-2', attributes: { ...record.attributes, ApproximateReceiveCount: '2' } }] }, deps);

    expect([first, again, sideEffects]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }, 1]);
  });

  it('GIVEN two deliveries of one message at once THEN one runs the handler and the other comes back later', async () => {
    let sideEffects = 0;
    let release!: () => void;
    const running = new Promise<void>((resolve) => (release = resolve));
    const { deps: base } = await harness(async () => {
      sideEffects++;
      await running;
      return 'done';
    });
    const waits: number[] = [];
    const deps = { ...base, retryAfter: async (_: unknown, seconds: number) => void waits.push(seconds) };
    const record = sqsRecord('m-2', 'r-1', JSON.stringify({ pool: 'thumbnails', lane: 'normal', jobId: 'twice', payload: {} }), 1, 'arn:aws:sqs:us-east-1:000000000000:jobs');

    const first = processBatch({ Records: [record] }, deps);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await processBatch({ Records: [{ ...record, receiptHandle: 'r-2' }] }, deps);
    release();

    expect([await first, second, sideEffects]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [{ itemIdentifier: 'm-2' }] }, 1]);
    // The second delivery looks again once the first run's lease (one stall timeout, renewed by heartbeats) may have lapsed.
    expect(waits).toEqual([poolHeartbeat(5).stallSeconds]);
  });

  it('GIVEN a job that throws NonRetriableError THEN it fails for good without a retry', async () => {
    let runs = 0;
    const { send, poll, deps } = await harness(async () => {
      runs++;
      throw new NonRetriableError('width must be positive');
    });
    await send({ pool: 'thumbnails', lane: 'normal', jobId: 'bad', payload: {} });

    const { failed } = await poll();
    await poll();

    expect({ failed, runs }).toEqual({ failed: [], runs: 1 });
    expect(await deps.store.get('thumbnails', 'bad')).toMatchObject({ status: 'failed', error: 'NonRetriableError' });
  });

  it('GIVEN a pooled task\'s message THEN the worker answers Step Functions with the task token', async () => {
    const { send, poll, answers } = await harness(async (payload) => ({ thumbnail: `${(payload as { image: string }).image}@128w` }));
    await send({ pool: 'thumbnails', lane: 'normal', taskToken: 'token-1', payload: { image: 'cat' } });

    await poll();

    expect(answers).toEqual([{ token: 'token-1', outcome: { output: '{"thumbnail":"cat@128w"}' } }]);
  });
});

describe('processBatch heartbeats', () => {
  /** A clock of its own: each tick() runs one beat, as if an interval had passed. */
  function manualClock() {
    const beats = new Set<() => void>();
    let now = Date.now();
    return {
      every: (_ms: number, beat: () => void) => {
        beats.add(beat);
        return () => void beats.delete(beat);
      },
      now: () => now,
      tick: async (seconds: number) => {
        now += seconds * 1000;
        for (const beat of beats) beat();
        await new Promise((resolve) => setTimeout(resolve, 50));
      },
      running: () => beats.size,
    };
  }

  it('GIVEN a pooled task whose job runs several intervals THEN each beat renews the lease, hides the message and sends SendTaskHeartbeat, and beats stop with the job', async () => {
    const clock = manualClock();
    let finish!: () => void;
    const { deps: base } = await harness(() => new Promise((resolve) => (finish = () => resolve('done'))));
    const visibility: number[] = [];
    const taskBeats: string[] = [];
    const deps: ProcessBatchDeps = {
      ...base, every: clock.every, now: clock.now,
      retryAfter: async (_record, seconds) => void visibility.push(seconds),
      heartbeatTask: async (token) => void taskBeats.push(token),
    };
    const timing = poolHeartbeat(deps.pool.timeoutSeconds);
    const record = sqsRecord('m-hb', 'r-1', JSON.stringify({ pool: 'thumbnails', lane: 'normal', taskToken: 'token-long', payload: {} }), 1, 'arn:aws:sqs:us-east-1:000000000000:jobs');

    const batch = processBatch({ Records: [record] }, deps);
    while (clock.running() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const claimed = (await deps.store.get('thumbnails', jobOfMessage(record.body, record.messageId)!.jobId))!;
    await clock.tick(timing.intervalSeconds);
    await clock.tick(timing.intervalSeconds);
    const beaten = (await deps.store.get('thumbnails', claimed.jobId))!;
    finish();
    await batch;
    await clock.tick(timing.intervalSeconds);

    expect(claimed).toMatchObject({ status: 'running' });
    expect(claimed.heartbeatAt).toBeUndefined();
    expect(beaten.heartbeatAt).toBe(new Date(clock.now() - timing.intervalSeconds * 1000).toISOString());
    expect(visibility).toEqual([timing.stallSeconds, timing.stallSeconds]);
    expect(taskBeats).toEqual(['token-long', 'token-long']);
    expect(clock.running()).toBe(0);
  });

  it('GIVEN a run that stopped heartbeating THEN a later delivery takes its claim over once one stall timeout has passed, not before', async () => {
    let now = Date.now();
    const { deps: base } = await harness(async () => 'done');
    const deps: ProcessBatchDeps = { ...base, now: () => now };
    const timing = poolHeartbeat(deps.pool.timeoutSeconds);
    const job = { pool: 'thumbnails', jobId: 'frozen', lane: 'normal' };
    const stale = await deps.store.claim(job, timing.stallSeconds, now); // the frozen run's claim: never renewed

    now += (timing.stallSeconds - 1) * 1000;
    const early = await deps.store.claim(job, timing.stallSeconds, now);
    now += 2000;
    const late = await deps.store.claim(job, timing.stallSeconds, now);

    expect([stale, early, late]).toEqual([{ kind: 'claimed', attempt: 1 }, { kind: 'busy' }, { kind: 'claimed', attempt: 2 }]);
    expect(timing.stallSeconds).toBeLessThan(deps.pool.timeoutSeconds * 6);
  });
});

describe('failedMessageIds (the partial batch response contract)', () => {
  const batch = ['m1', 'm2', 'm3'];

  it('reads an empty list, or no response, as every message succeeded', () => {
    expect([failedMessageIds(batch, { batchItemFailures: [] }), failedMessageIds(batch, null), failedMessageIds(batch, {})]).toEqual([[], [], []]);
  });

  it('returns the messages the response names', () => {
    expect(failedMessageIds(batch, { batchItemFailures: [{ itemIdentifier: 'm2' }] })).toEqual(['m2']);
  });

  it('fails the whole batch for an unknown or empty identifier, or an answer that is not a batch response', () => {
    expect([
      failedMessageIds(batch, { batchItemFailures: [{ itemIdentifier: 'm9' }] }),
      failedMessageIds(batch, { batchItemFailures: [{ itemIdentifier: '' }] }),
      failedMessageIds(batch, 'ok'),
    ]).toEqual([batch, batch, batch]);
  });
});
