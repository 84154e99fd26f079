import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import { systemClock, type Clock, type TimerHandle } from '../clock.ts';
import { readJsonFile, writeJsonFileAtomically } from '../private/json-file.ts';

/** A job message waiting past SQS's 15 minutes, as kept on disk (one file per job). */
export interface DelayedJobRecord {
  readonly jobId: string;
  readonly pool: string;
  readonly lane: string;
  /** The lane's queue when the job was delayed; the send goes to the lane's queue of the running stack. */
  readonly queueUrl: string;
  readonly body: string;
  readonly messageAttributes?: Record<string, MessageAttributeValue>;
  /** Epoch milliseconds. */
  readonly dueAt: number;
}

export interface DelayedJobsProps {
  readonly sqs: SQSClient;
  /** The lane's queue URL now (fauxqs takes a new port each start); undefined when the lane is gone. */
  readonly queueUrl: (pool: string, lane: string) => string | undefined;
  /** Folder of the pending records. @default in memory only */
  readonly dir?: string;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Wait before sending again after a failed SendMessage. @default 5000 */
  readonly retryMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * Jobs delayed past SQS's 15 minutes offline, where a deployed pool has a one-time Scheduler schedule.
 * Each is a file written before the API answers (temp file + rename), sent to its lane when due, and
 * deleted only once SendMessage succeeded: a stop in between leaves the record, and the next start sends
 * it again (at least once, as Scheduler delivers,
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-retry-policy.html). At start
 * every record is armed again; those already due are sent at once. The dev stack's Scheduler emulator is
 * not used: it does not fire a one-time schedule whose time passed while the stack was stopped.
 */
export class DelayedJobs {
  private readonly clock: Clock;
  private readonly timers = new Map<string, TimerHandle>();
  private readonly pending = new Map<string, DelayedJobRecord>();
  private readonly sending = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly props: DelayedJobsProps) {
    this.clock = props.clock ?? systemClock;
  }

  /** Arms every record kept by the previous run. */
  async load(): Promise<number> {
    const dir = this.props.dir;
    if (!dir) return 0;
    const names = await readdir(dir).catch(() => [] as string[]);
    let armed = 0;
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const record = await readJsonFile<DelayedJobRecord>(join(dir, name)).catch(() => undefined);
      if (!record || typeof record.jobId !== 'string' || typeof record.dueAt !== 'number') {
        this.props.log?.(`⚠ delayed pool job ${name} is unreadable: left in ${dir}`);
        continue;
      }
      this.arm(record);
      armed++;
    }
    return armed;
  }

  /** Keeps the job (on disk first) and arms its send; a job already pending is left as it is. */
  async add(record: DelayedJobRecord): Promise<void> {
    if (this.pending.has(record.jobId)) return;
    if (this.props.dir) await writeJsonFileAtomically(this.file(record.jobId), record);
    this.arm(record);
  }

  /** The jobs waiting, soonest first. */
  list(): DelayedJobRecord[] {
    return [...this.pending.values()].sort((a, b) => a.dueAt - b.dueAt);
  }

  /** Timers cleared and sends under way settled; the records stay for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.sending]);
  }

  private arm(record: DelayedJobRecord): void {
    if (this.stopped) return;
    this.pending.set(record.jobId, record);
    const wait = record.dueAt - this.clock.now();
    // Due already (the stack was stopped past it): sent now, not on the clock's next turn.
    if (wait <= 0) this.fire(record);
    else this.timers.set(record.jobId, this.clock.setTimeout(() => this.fire(record), wait));
  }

  private fire(record: DelayedJobRecord): void {
    this.timers.delete(record.jobId);
    if (this.stopped) return;
    const sending = this.send(record).finally(() => this.sending.delete(sending));
    this.sending.add(sending);
  }

  private async send(record: DelayedJobRecord): Promise<void> {
    const queueUrl = this.props.queueUrl(record.pool, record.lane);
    try {
      if (!queueUrl) throw new Error(`pool ${record.pool} has no lane ${record.lane} now`);
      await this.props.sqs.send(new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: record.body,
        ...(record.messageAttributes ? { MessageAttributes: record.messageAttributes } : {}),
      }));
    } catch (error) {
      this.props.log?.(`⚠ pool ${record.pool}: delayed job ${record.jobId} could not be sent (${(error as Error).message}); trying again`);
      if (this.stopped) return;
      const retry = this.clock.setTimeout(() => this.fire(record), this.props.retryMs ?? 5000);
      this.timers.set(record.jobId, retry);
      return;
    }
    this.pending.delete(record.jobId);
    if (this.props.dir) await rm(this.file(record.jobId), { force: true });
  }

  private file(jobId: string): string {
    // Job ids are UUIDs or `key-<hex>`: safe as file names.
    return join(this.props.dir!, `${encodeURIComponent(jobId)}.json`);
  }
}
