import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { poolHeartbeat } from '../../core/definition/pool-heartbeat.ts';
import type { PoolDefinition } from '../../core/definition/pool-model.ts';
import { laneConcurrency, maxAttempts } from '../../core/definition/pools.ts';
import { failedMessageIds } from '../../functions/pools/batch-response.ts';
import type { AwsSettings } from '../../functions/shared/config.ts';
import { DeleteBatcher } from './delete-batcher.ts';
import { changeVisibility, createLaneQueues, toSqsRecord, type LaneQueue } from './lane-queues.ts';
import { LanePicker } from './lane-picker.ts';
import type { PoolSnapshot } from './pool-snapshot.ts';
import { WorkerExited, WorkerProcess } from './worker-process.ts';
import { killStalled, replaceUnhealthy } from './worker-watch.ts';
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

/** Seconds a receive waits for messages (SQS long polling), so idle lanes do not spin. */
const WAIT_SECONDS = 1;
const PING_TIMEOUT_MS = 5000;
/** SQS hands out at most 10 messages per receive. */
const MAX_RECEIVE = 10;
/**
 * Batches a worker process holds while batches are short: the one running and the next two, claimed while
 * it runs, so a claim has two handler runs to come back in. A worker that dies gives all of them back (they
 * run after restart_delay).
 */
const WORKER_DEPTH = 3;
/**
 * Batches shorter than this (recent average) are handed out ahead; longer ones one per worker, where a
 * round trip is little beside the run and a batch queued behind a long one would wait while another
 * worker frees up.
 */
const PIPELINE_BELOW_MS = 250;
/** Most messages one lane holds received and not yet handed to a worker. */
const MAX_PREFETCH = 100;

/**
 * A pool offline, standing in for SQS event sources feeding a Lambda: real worker processes (min_size kept
 * warm, at most max_size, one spare kept ready beside busy ones so a crash is replaced at once, idle ones
 * stopped after idle_timeout, pinged every health_check_interval, busy ones watched for stalls), and the
 * event source's deletes: what the partial batch response does not name.
 *
 * Each lane receives ahead (a few batches held, so a worker never waits for a receive), and while batches
 * are short each worker is handed its next ones while it runs one (it claims the jobs then and runs their
 * handlers one at a time), so at most max_size handlers run at once and none waits on a round trip. Offline the lanes share
 * the workers: a free worker serves the highest lane with work waiting, lower lanes keeping a share of
 * the picks (LanePicker). A worker that dies holding batches is replaced, and their jobs run again after
 * restart_delay; one that stops answering while busy (frozen) is killed after the stall timeout.
 */
export class LocalPool {
  readonly queues: Record<string, LaneQueue> = {};
  private readonly workers = new Set<WorkerProcess>();
  /** Per lane: messages received, waiting for a worker. */
  private readonly waiting = new Map<string, Message[]>();
  /** Per lane: wakes its receiver once its buffer has room again. */
  private readonly wakers = new Map<string, () => void>();
  private readonly picker = new LanePicker(() => this.current.lanes);
  private running = false;
  private isPaused = false;
  private restartsInRow = 0;
  private peak = 0;
  private timers: NodeJS.Timeout[] = [];
  private loops: Promise<void>[] = [];
  private readonly invocations = new Set<Promise<void>>();
  /** Recent batch run time in ms (moving average); undefined before the first answer. */
  private batchMs: number | undefined;
  private readonly deletes: DeleteBatcher;

  private current: PoolDefinition;

  constructor(private readonly props: LocalPoolProps) {
    this.current = props.pool;
    this.store = new DynamoDbJobStore({ client: createAwsClients(props.aws).dynamo, tableName: props.table });
    this.deletes = new DeleteBatcher(props.sqs, (error) => props.log?.(`⚠ pool ${this.current.name}: delete failed: ${error.message}`));
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
    for (const worker of [...this.workers].filter((w) => w.state === 'idle' && !w.standby).slice(0, Math.max(0, this.activeCount() - sizes.maxSize))) worker.stop();
    if (this.running) {
      for (let i = this.activeCount(); i < sizes.minSize; i++) void this.spawn().catch(() => undefined);
      this.dispatch();
    }
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Creates the lanes' queues and dead-letter queues, starts min_size workers and the receivers. */
  async start(): Promise<void> {
    const pool = this.current;
    const { sqs } = this.props;
    Object.assign(this.queues, await createLaneQueues(sqs, pool));
    for (const lane of pool.lanes) this.waiting.set(lane.name, []);
    this.running = true;
    await Promise.all(Array.from({ length: pool.minSize }, () => this.spawn()));
    const heartbeat = poolHeartbeat(pool.timeoutSeconds);
    const warn = (line: string) => this.props.log?.(`⚠ pool ${this.current.name}: ${line}`);
    this.timers.push(setInterval(() => void replaceUnhealthy(this.workers, PING_TIMEOUT_MS, warn), pool.monitoring.healthCheckIntervalSeconds * 1000));
    this.timers.push(setInterval(() => killStalled(this.workers, heartbeat.stallSeconds * 1000, warn), heartbeat.intervalSeconds * 1000));
    this.timers.push(setInterval(() => this.stopIdle(), Math.min(1000, pool.idleTimeoutSeconds * 1000)));
    this.loops = pool.lanes.map((lane) => this.receive(lane.name));
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.timers) clearInterval(timer);
    for (const wake of this.wakers.values()) wake();
    await Promise.allSettled(this.loops);
    // Received but never handed out: back on the queue at once.
    await this.returnWaiting();
    for (const worker of this.workers) worker.stop();
    await Promise.all([...this.workers].map((w) => w.exited));
    await Promise.allSettled([...this.invocations]);
    await this.deletes.drain();
  }

  /** Holds every job queued (the event sources disabled) until resume. */
  pause(): void {
    this.isPaused = true;
    void this.returnWaiting();
  }

  resume(): void {
    this.isPaused = false;
    for (const wake of this.wakers.values()) wake();
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

  /** Most messages a lane holds ahead: a batch for every worker's next turn, and as many again (at least one full receive). */
  private prefetchTarget(): number {
    const pool = this.current;
    return Math.max(MAX_RECEIVE, Math.min(MAX_PREFETCH, 2 * pool.maxSize * pool.batchSize));
  }

  /** One lane's receiver: keeps its buffer filled while the pool runs and is not paused. */
  private async receive(laneName: string): Promise<void> {
    const { sqs } = this.props;
    const queue = this.queues[laneName];
    const buffer = this.waiting.get(laneName)!;
    while (this.running) {
      const target = this.prefetchTarget();
      const room = target - buffer.length;
      // Refilled once half empty, so each receive brings several messages rather than one per job.
      if (this.isPaused || buffer.length > target / 2) {
        await new Promise<void>((resolve) => {
          this.wakers.set(laneName, resolve);
          // Paused: look again now and then (resume wakes it too).
          if (this.isPaused) setTimeout(resolve, 100);
        });
        this.wakers.delete(laneName);
        continue;
      }
      let messages: Message[] = [];
      try {
        ({ Messages: messages = [] } = await sqs.send(new ReceiveMessageCommand({
          QueueUrl: queue.url, MaxNumberOfMessages: Math.min(MAX_RECEIVE, room), WaitTimeSeconds: WAIT_SECONDS, MessageSystemAttributeNames: ['All'],
        })));
      } catch (error) {
        if (this.running) this.props.log?.(`⚠ pool ${this.current.name}: receive failed: ${(error as Error).message}`);
        await sleep(200);
        continue;
      }
      if (!messages.length) continue;
      if (this.isPaused || !this.running) {
        // Paused or stopped while this receive waited: the messages go back untouched (their receive still counts, as on AWS).
        await changeVisibility(this.props.sqs, queue.url, messages, 0).catch(() => undefined);
        continue;
      }
      // A job coming back (its worker died, or it failed) goes ahead of first deliveries: its restart_delay is its wait.
      for (const m of messages) {
        if (Number(m.Attributes?.ApproximateReceiveCount ?? 1) > 1) buffer.unshift(m);
        else buffer.push(m);
      }
      this.dispatch();
    }
  }

  /** Hands waiting batches to workers with room, highest lane first; starts workers the waiting work needs. */
  private dispatch(): void {
    if (!this.running || this.isPaused) return;
    const pool = this.current;
    for (;;) {
      const lanes = new Set([...this.waiting].filter(([, messages]) => messages.length > 0).map(([lane]) => lane));
      if (!lanes.size) break;
      const worker = this.freeWorker();
      if (!worker) break;
      const lane = this.picker.pick(lanes)!;
      const messages = this.waiting.get(lane)!.splice(0, pool.batchSize);
      this.wakers.get(lane)?.();
      const invocation: Promise<void> = this.invoke(worker, lane, messages).finally(() => this.invocations.delete(invocation));
      this.invocations.add(invocation);
    }
    this.scaleUp();
  }

  /** An idle worker, else a busy one with room for its next batch (the lightest loaded). */
  private freeWorker(): WorkerProcess | undefined {
    let best: WorkerProcess | undefined;
    for (const worker of this.workers) {
      if (worker.standby || (worker.state !== 'idle' && worker.state !== 'busy')) continue;
      if (worker.inFlight >= this.depth()) continue;
      if (!best || worker.inFlight < best.inFlight) best = worker;
      if (worker.inFlight === 0) break;
    }
    return best;
  }

  private depth(): number {
    return this.batchMs !== undefined && this.batchMs < PIPELINE_BELOW_MS ? WORKER_DEPTH : 1;
  }

  /** A batch's run time, from when the worker could start it (sent, or its previous batch answered) to its answer. */
  private noteRunTime(worker: WorkerProcess, sentAt: number): void {
    const now = performance.now();
    const ms = now - Math.max(sentAt, worker.lastAnswerAt);
    worker.lastAnswerAt = now;
    this.batchMs = this.batchMs === undefined ? ms : 0.8 * this.batchMs + 0.2 * ms;
  }

  private activeCount(): number {
    return [...this.workers].filter((w) => !w.standby).length;
  }

  private standbyWorker(): WorkerProcess | undefined {
    return [...this.workers].find((w) => w.standby && w.state !== 'stopped');
  }

  /**
   * Starts workers within max_size: one for each batch waiting beyond what the live workers can start now
   * (the standby first). While any worker is busy, one more process waits loaded as the standby, so a
   * crashed worker is replaced at once rather than after a process start; it runs no job until it replaces
   * one, so at most max_size handlers run.
   */
  private scaleUp(): void {
    const pool = this.current;
    const active = [...this.workers].filter((w) => !w.standby);
    const waitingBatches = [...this.waiting.values()].reduce((sum, m) => sum + Math.ceil(m.length / pool.batchSize), 0);
    const ready = active.filter((w) => w.state === 'idle' || w.state === 'starting').length;
    let toStart = Math.min(waitingBatches - ready, pool.maxSize - active.length);
    if (toStart > 0 && this.promoteStandby()) toStart--;
    for (let i = 0; i < toStart; i++) void this.spawn().catch(() => undefined);
    if (active.some((w) => w.state === 'busy') && !this.standbyWorker()) void this.spawn(true).catch(() => undefined);
  }

  /** The standby becomes a worker; false when there is none. */
  private promoteStandby(): boolean {
    const standby = this.standbyWorker();
    if (!standby) return false;
    standby.standby = false;
    if (standby.state === 'idle') queueMicrotask(() => this.dispatch());
    return true;
  }

  /** One invocation: the worker runs the batch; what it does not report failed is deleted. */
  private async invoke(worker: WorkerProcess, laneName: string, messages: Message[]): Promise<void> {
    const pool = this.current;
    const queueUrl = this.queues[laneName].url;
    const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, queueUrl, this.props.aws.region)) };
    const ids = event.Records.map((r) => r.messageId);
    let failed: string[];
    try {
      // A batch sent behind another waits its turn: its timeout counts both.
      const sentAt = performance.now();
      const run = worker.run(event, (pool.timeoutSeconds * pool.batchSize * (worker.inFlight + 1) + 5) * 1000);
      this.peak = Math.max(this.peak, [...this.workers].filter((w) => w.state === 'busy').length);
      const response = await run;
      this.noteRunTime(worker, sentAt);
      failed = failedMessageIds(ids, response);
      this.restartsInRow = 0;
    } catch (error) {
      // A function error fails the whole batch; a dead worker is replaced.
      this.props.log?.(`⚠ pool ${pool.name}: ${(error as Error).message}`);
      failed = ids;
      // The worker is gone, not late: its claims are given up, so the jobs run again after restart_delay
      // rather than after their lease.
      if (error instanceof WorkerExited) await this.release(messages);
      await changeVisibility(this.props.sqs, queueUrl, messages, pool.recovery.restartDelaySeconds).catch(() => undefined);
    }
    // The worker has room again: its next batch goes out before this one's delete.
    this.dispatch();
    this.deletes.add(queueUrl, messages.filter((m) => !failed.includes(m.MessageId!)).map((m) => m.ReceiptHandle!));
  }

  private async release(messages: readonly Message[]): Promise<void> {
    await Promise.all(messages.map(async (m) => {
      const job = jobOfMessage(m.Body ?? '', m.MessageId!);
      if (job) await this.store.release?.(job, undefined, Date.now()).catch(() => undefined);
    }));
  }

  /** Messages received and not handed out go back to their queues at once. */
  private async returnWaiting(): Promise<void> {
    await Promise.all([...this.waiting].map(async ([lane, messages]) => {
      const taken = messages.splice(0);
      for (let i = 0; i < taken.length; i += MAX_RECEIVE) {
        await changeVisibility(this.props.sqs, this.queues[lane].url, taken.slice(i, i + MAX_RECEIVE), 0).catch(() => undefined);
      }
    }));
  }

  private async spawn(standby = false): Promise<WorkerProcess> {
    const worker = this.createWorker();
    worker.standby = standby;
    await worker.ready();
    this.dispatch();
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
      if (worker.standby) return;
      if (worker.crashed && pool.recovery.autoRestart) {
        this.restartsInRow++;
        if (this.promoteStandby()) {
          // Replaced by the standby at once; scaleUp loads a new standby.
        } else if (this.restartsInRow <= pool.recovery.maxRestarts || this.activeCount() < pool.minSize) void this.spawn().catch(() => undefined);
      } else if (this.activeCount() < pool.minSize) {
        void this.spawn().catch(() => undefined);
      }
      this.dispatch();
    });
    return worker;
  }

  private stopIdle(): void {
    const pool = this.current;
    const idleLong = (w: WorkerProcess) => w.state === 'idle' && Date.now() - w.idleSince >= pool.idleTimeoutSeconds * 1000;
    const active = [...this.workers].filter((w) => !w.standby);
    const idle = active.filter(idleLong);
    for (const worker of idle.slice(0, Math.max(0, active.length - pool.minSize))) worker.stop();
    // The standby stays while any worker is busy.
    const standby = this.standbyWorker();
    if (standby && idleLong(standby) && !active.some((w) => w.state === 'busy')) standby.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
