import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { poolVisibilityTimeout } from '../../core/definition/pool-limits.ts';
import type { PoolDefinition, PoolLane } from '../../core/definition/pool-model.ts';
import { laneConcurrency, maxAttempts } from '../../core/definition/pools.ts';
import { failedMessageIds } from '../../functions/pools/batch-response.ts';
import type { AwsSettings } from '../../functions/shared/config.ts';
import { poolQueueNames } from '../../core/compiler/pools.ts';
import { WorkerExited, WorkerProcess, type WorkerState } from './worker-process.ts';
import { DynamoDbJobStore } from '../../functions/pools/dynamodb-job-store.ts';
import type { JobStore } from '../../functions/pools/job-store.ts';
import { jobOfMessage } from '../../functions/pools/process-batch.ts';
import { createAwsClients } from '../../functions/shared/clients.ts';

export interface LocalPoolProps {
  readonly pool: PoolDefinition;
  readonly sqs: SQSClient;
  /** The table job records go to. */
  readonly table: string;
  /** Where the workers' SDK clients go (the offline servers). */
  readonly aws: AwsSettings;
  /** @default nothing */
  readonly log?: (line: string) => void;
}

export interface WorkerSnapshot {
  readonly pid?: number;
  readonly state: WorkerState;
  readonly lastHealthCheck?: string;
}

export interface PoolSnapshot {
  readonly name: string;
  readonly workers: readonly WorkerSnapshot[];
  /** Workers replaced after a crash or a failed health check, in a row. */
  readonly restarts: number;
  /** More than max_restarts replacements in a row. */
  readonly degraded: boolean;
  readonly peakConcurrency: number;
  readonly paused: boolean;
}

/** Seconds a receive waits for messages (SQS long polling), so idle lanes do not spin. */
const WAIT_SECONDS = 1;
const PING_TIMEOUT_MS = 5000;
/** SQS hands out at most 10 messages per receive. */
const MAX_RECEIVE = 10;

/**
 * A pool offline, standing in for SQS event sources feeding a Lambda: one poller per lane (at most the
 * lane's share of max_size batches at once, as each lane's MaximumConcurrency on AWS), real worker
 * processes (min_size kept warm, at most max_size, idle ones stopped after idle_timeout, pinged every
 * health_check_interval), and the event source's deletes: what the partial batch response does not name.
 * A worker that dies holding a batch is replaced, and its messages come back after restart_delay.
 */
export class LocalPool {
  readonly queues: Record<string, { url: string; dlqUrl: string }> = {};
  private readonly workers = new Set<WorkerProcess>();
  private readonly inFlight = new Map<string, number>();
  private running = false;
  private isPaused = false;
  private restartsInRow = 0;
  private peak = 0;
  private timers: NodeJS.Timeout[] = [];
  private loops: Promise<void>[] = [];
  private readonly deletes = new Set<Promise<void>>();

  private current: PoolDefinition;

  constructor(private readonly props: LocalPoolProps) {
    this.current = props.pool;
    this.store = new DynamoDbJobStore({ client: createAwsClients(props.aws).dynamo, tableName: props.table });
  }

  private readonly store: JobStore;

  /** The pool as it runs now (sizes changed by `scale`). */
  get definition(): PoolDefinition {
    return this.current;
  }

  /** New sizes: each lane's share of max_size (as the definition splits them), workers above it stopped when idle. */
  scale(sizes: { minSize: number; maxSize: number }): void {
    const shares = Object.fromEntries(this.current.lanes.map((l) => [l.name, l.share]));
    this.current = { ...this.current, ...sizes, lanes: laneConcurrency(shares, sizes.maxSize) };
    for (const worker of [...this.workers].filter((w) => w.state === 'idle').slice(0, Math.max(0, this.workers.size - sizes.maxSize))) worker.stop();
    if (this.running) for (let i = this.workers.size; i < sizes.minSize; i++) void this.spawn().catch(() => undefined);
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Creates the lanes' queues and dead-letter queues, starts min_size workers and the pollers. */
  async start(): Promise<void> {
    const pool = this.current;
    const { sqs } = this.props;
    for (const lane of pool.lanes) {
      const names = poolQueueNames(pool.name, lane.name);
      const dlq = await sqs.send(new CreateQueueCommand({ QueueName: names.dlq }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
      const attributes = {
        VisibilityTimeout: String(poolVisibilityTimeout(pool.timeoutSeconds)),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: String(maxAttempts(pool)) }),
      };
      let url: string;
      try {
        url = (await sqs.send(new CreateQueueCommand({ QueueName: names.queue, Attributes: attributes }))).QueueUrl!;
      } catch (error) {
        // Kept from an earlier run (fauxqs on disk) with other settings: the queue stays, with its jobs.
        if ((error as Error).name !== 'QueueNameExists' && (error as Error).name !== 'QueueAlreadyExists') throw error;
        url = (await sqs.send(new GetQueueUrlCommand({ QueueName: names.queue }))).QueueUrl!;
        await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
      }
      this.queues[lane.name] = { url, dlqUrl: dlq.QueueUrl! };
    }
    this.running = true;
    await Promise.all(Array.from({ length: pool.minSize }, () => this.spawn()));
    this.timers.push(setInterval(() => void this.healthCheck(), pool.monitoring.healthCheckIntervalSeconds * 1000));
    this.timers.push(setInterval(() => this.stopIdle(), Math.min(1000, pool.idleTimeoutSeconds * 1000)));
    this.loops = pool.lanes.map((lane) => this.poll(lane.name));
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.timers) clearInterval(timer);
    for (const worker of this.workers) worker.stop();
    await Promise.all([...this.workers].map((w) => w.exited));
    await Promise.allSettled(this.loops);
    await Promise.allSettled(this.deletes);
  }

  /** Holds every job queued (the event sources disabled) until resume. */
  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
  }

  liveWorkers(): readonly WorkerProcess[] {
    return [...this.workers];
  }

  snapshot(): PoolSnapshot {
    return {
      name: this.current.name,
      workers: [...this.workers].map((w) => ({ pid: w.pid, state: w.state, ...(w.lastHealthCheck ? { lastHealthCheck: new Date(w.lastHealthCheck).toISOString() } : {}) })),
      restarts: this.restartsInRow,
      degraded: this.restartsInRow > this.current.recovery.maxRestarts,
      peakConcurrency: this.peak,
      paused: this.isPaused,
    };
  }

  private async poll(laneName: string): Promise<void> {
    const { sqs } = this.props;
    const queue = this.queues[laneName];
    const slots = new Set<Promise<void>>();
    while (this.running) {
      // Read each turn: scale() changes the sizes.
      const pool = this.current;
      const lane = pool.lanes.find((l) => l.name === laneName)!;
      const free = lane.concurrency - slots.size;
      if (this.isPaused || free <= 0) {
        await (slots.size ? Promise.race(slots) : sleep(100));
        continue;
      }
      // Work waits and the pool is below its cap: start workers now, so they are ready when their batch is.
      this.scaleUp(Math.min(free, lane.concurrency));
      let messages: Message[] = [];
      try {
        // One receive for every free slot (as the event source's pollers gather several batches), not one per batch.
        ({ Messages: messages = [] } = await sqs.send(new ReceiveMessageCommand({
          QueueUrl: queue.url, MaxNumberOfMessages: Math.min(MAX_RECEIVE, free * pool.batchSize), WaitTimeSeconds: WAIT_SECONDS, MessageSystemAttributeNames: ['All'],
        })));
      } catch (error) {
        if (this.running) this.props.log?.(`⚠ pool ${pool.name}: receive failed: ${(error as Error).message}`);
        await sleep(200);
        continue;
      }
      if (!messages.length || !this.running) continue;
      if (this.isPaused) {
        // Paused while this receive waited: the messages go back untouched (their receive still counts, as on AWS).
        await this.changeVisibility(queue.url, messages, 0).catch(() => undefined);
        continue;
      }
      for (let i = 0; i < messages.length; i += pool.batchSize) {
        const slot: Promise<void> = this.invoke(lane, queue.url, messages.slice(i, i + pool.batchSize)).finally(() => slots.delete(slot));
        slots.add(slot);
      }
    }
    await Promise.allSettled(slots);
  }

  /** Starts workers until `wanted` are idle or starting, within max_size. */
  private scaleUp(wanted: number): void {
    const ready = [...this.workers].filter((w) => w.state === 'idle' || w.state === 'starting').length;
    const room = this.current.maxSize - this.workers.size;
    for (let i = 0; i < Math.min(wanted - ready, room); i++) void this.spawn().catch(() => undefined);
  }

  /** One invocation: a worker runs the batch; what it does not report failed is deleted. */
  private async invoke(lane: PoolLane, queueUrl: string, messages: Message[]): Promise<void> {
    const pool = this.current;
    const { sqs } = this.props;
    this.inFlight.set(lane.name, (this.inFlight.get(lane.name) ?? 0) + 1);
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, queueUrl, this.props.aws.region)) };
    const ids = event.Records.map((r) => r.messageId);
    let failed: string[];
    try {
      const worker = await this.idleWorker();
      this.peak = Math.max(this.peak, [...this.workers].filter((w) => w.state === 'busy').length);
      const response = await worker.run(event, (pool.timeoutSeconds * pool.batchSize + 5) * 1000);
      failed = failedMessageIds(ids, response);
      this.restartsInRow = 0;
    } catch (error) {
      // A function error fails the whole batch; a dead worker is replaced on the next invocation.
      this.props.log?.(`⚠ pool ${pool.name}: ${(error as Error).message}`);
      failed = ids;
      // The worker is gone, not late: its claims are given up, so the jobs run again after restart_delay
      // rather than after their lease.
      if (error instanceof WorkerExited) await this.release(messages);
      await this.changeVisibility(queueUrl, messages, pool.recovery.restartDelaySeconds).catch(() => undefined);
    } finally {
      this.inFlight.set(lane.name, (this.inFlight.get(lane.name) ?? 1) - 1);
    }
    const done = messages.filter((m) => !failed.includes(m.MessageId!));
    if (done.length) {
      // The slot is free once the worker answered; the delete goes on beside the next batch.
      const deleting: Promise<void> = sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }))
        .then(() => undefined, (error: Error) => this.props.log?.(`⚠ pool ${pool.name}: delete failed: ${error.message}`))
        .finally(() => this.deletes.delete(deleting));
      this.deletes.add(deleting);
    }
  }

  private async release(messages: readonly Message[]): Promise<void> {
    for (const m of messages) {
      const job = jobOfMessage(m.Body ?? '', m.MessageId!);
      if (job) await this.store.release?.(job, undefined, Date.now()).catch(() => undefined);
    }
  }

  private changeVisibility(queueUrl: string, messages: Message[], seconds: number) {
    return this.props.sqs.send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: seconds })),
    }));
  }

  /** An idle worker, else one starting, else a new one (lanes never ask for more than max_size at once). */
  private async idleWorker(): Promise<WorkerProcess> {
    for (;;) {
      const idle = [...this.workers].find((w) => w.state === 'idle' && !w.reserved);
      if (idle) {
        idle.state = 'busy';
        return idle;
      }
      const starting = [...this.workers].find((w) => w.state === 'starting' && !w.reserved);
      const worker = starting ?? (this.workers.size < this.current.maxSize ? await this.spawnReserved() : undefined);
      if (!worker) {
        await sleep(5);
        continue;
      }
      worker.reserved = true;
      try {
        await worker.ready();
      } catch {
        continue; // it died starting: another one
      } finally {
        worker.reserved = false;
      }
      if (worker.state !== 'idle') continue;
      worker.state = 'busy';
      return worker;
    }
  }

  private async spawnReserved(): Promise<WorkerProcess> {
    const worker = this.createWorker();
    worker.reserved = true;
    return worker;
  }

  private async spawn(): Promise<WorkerProcess> {
    const worker = this.createWorker();
    await worker.ready();
    return worker;
  }

  /** A new worker process, counted at once; a crashed one is replaced straight away while work waits or below min_size. */
  private createWorker(): WorkerProcess {
    const pool = this.current;
    const worker = new WorkerProcess({
      type: 'init',
      handler: pool.handler,
      table: this.props.table,
      aws: this.props.aws,
      pool: { name: pool.name, timeoutSeconds: pool.timeoutSeconds, maxAttempts: maxAttempts(pool), restartDelaySeconds: pool.recovery.restartDelaySeconds, ...(pool.rateLimit ? { rateLimit: pool.rateLimit } : {}) },
    });
    this.workers.add(worker);
    void worker.exited.then(() => {
      this.workers.delete(worker);
      if (!this.running) return;
      if (worker.crashed && pool.recovery.autoRestart) {
        this.restartsInRow++;
        if (this.restartsInRow <= pool.recovery.maxRestarts || this.workers.size < pool.minSize) void this.spawn().catch(() => undefined);
      } else if (this.workers.size < pool.minSize) {
        void this.spawn().catch(() => undefined);
      }
    });
    return worker;
  }

  private async healthCheck(): Promise<void> {
    for (const worker of this.workers) {
      if (worker.state !== 'idle') continue;
      if (!(await worker.ping(PING_TIMEOUT_MS))) {
        this.props.log?.(`⚠ pool ${this.current.name}: worker ${worker.pid} failed its health check: replaced`);
        worker.kill();
      }
    }
  }

  private stopIdle(): void {
    const pool = this.current;
    const idle = [...this.workers].filter((w) => w.state === 'idle' && Date.now() - w.idleSince >= pool.idleTimeoutSeconds * 1000);
    for (const worker of idle.slice(0, Math.max(0, this.workers.size - pool.minSize))) worker.stop();
  }
}

function toRecord(m: Message, queueUrl: string, region: string) {
  const name = queueUrl.split('/').pop()!;
  const account = queueUrl.split('/').at(-2)!;
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body!,
    attributes: m.Attributes as never,
    messageAttributes: {},
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${region}:${account}:${name}`,
    awsRegion: region,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
