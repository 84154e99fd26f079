import { NON_RETRIABLE_ERROR_NAMES } from '../../../core/errors.ts';
import type { Clock, TimerHandle } from '../../clock.ts';
import type { Target } from './rules.ts';

/** One delivery of one event to one target of one matching rule. */
export interface Delivery {
  readonly eventId: string;
  readonly rule: string;
  readonly ruleArn: string;
  readonly bus: string;
  readonly target: Target;
  /** The transformed input (JSON text, or plain text from a non-JSON template). */
  readonly payload: string;
  /** 1 on the first try. */
  attempt: number;
}

/** Calls one target (in the dev stack: the dispatcher in-process, or a state machine on the LocalEngine). */
export type TargetInvoker = (delivery: Delivery) => Promise<void>;

export interface DeliveryQueueProps {
  readonly invoke: TargetInvoker;
  readonly clock: Clock;
  /** @default 5 */
  readonly maxAttempts?: number;
  /** @default 200 */
  readonly retryBaseMs?: number;
  /** @default 10_000 */
  readonly retryMaxMs?: number;
  /** @default 16 */
  readonly concurrency?: number;
  /** Told when the deliveries not yet done change (one queued, settled or waiting for a retry). */
  readonly onChange: () => void;
  /** Receives a delivery that failed every try. */
  readonly deadLetter: (delivery: Delivery, error: unknown) => Promise<void>;
}

/**
 * Deliveries to targets, `concurrency` at a time, each retried with exponential backoff
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html) and dead-lettered after
 * its last try.
 */
export class DeliveryQueue {
  private readonly queue: Delivery[] = [];
  private readonly waiting = new Map<Delivery, TimerHandle>();
  /** Deliveries being tried now, by their run. */
  private readonly running = new Map<Promise<void>, Delivery>();
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly props: DeliveryQueueProps) {}

  enqueue(delivery: Delivery): void {
    this.queue.push(delivery);
    this.pump();
    this.props.onChange();
  }

  /** Every delivery not yet done: queued, running or waiting for a retry. */
  pending(): Delivery[] {
    return [...this.queue, ...this.running.values(), ...this.waiting.keys()];
  }

  /** Resolves when nothing is queued, waiting for a retry or running. */
  async drain(): Promise<void> {
    if (this.queue.length === 0 && this.waiting.size === 0 && this.running.size === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Starts nothing more and waits for deliveries running now; the others stay pending. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const handle of this.waiting.values()) if (handle !== undefined) this.props.clock.clearTimeout(handle);
    while (this.running.size) await Promise.all([...this.running.keys()]);
  }

  private pump(): void {
    const limit = this.props.concurrency ?? 16;
    while (!this.stopped && this.running.size < limit && this.queue.length) {
      const delivery = this.queue.shift()!;
      const run = this.deliver(delivery).finally(() => {
        this.running.delete(run);
        this.props.onChange();
        this.pump();
        this.notifyIdle();
      });
      this.running.set(run, delivery);
    }
    this.notifyIdle();
  }

  private async deliver(delivery: Delivery): Promise<void> {
    try {
      await this.props.invoke(delivery);
    } catch (error) {
      const maxAttempts = this.props.maxAttempts ?? 5;
      // Retrying cannot help (the target says so by the error's name): dead-lettered at once.
      if (isNonRetriable(error)) {
        await this.props.deadLetter(delivery, error);
        return;
      }
      if (delivery.attempt >= maxAttempts || this.stopped) {
        if (this.stopped && delivery.attempt < maxAttempts) {
          this.waiting.set({ ...delivery, attempt: delivery.attempt + 1 }, undefined);
          return;
        }
        await this.props.deadLetter(delivery, error);
        return;
      }
      const wait = Math.min(this.props.retryMaxMs ?? 10_000, (this.props.retryBaseMs ?? 200) * 2 ** (delivery.attempt - 1));
      const next: Delivery = { ...delivery, attempt: delivery.attempt + 1 };
      const handle = this.props.clock.setTimeout(() => {
        this.waiting.delete(next);
        this.enqueue(next);
      }, wait);
      this.waiting.set(next, handle);
    }
  }

  private notifyIdle(): void {
    if (this.queue.length || this.waiting.size || this.running.size) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function isNonRetriable(error: unknown): boolean {
  return error instanceof Error && (NON_RETRIABLE_ERROR_NAMES as readonly string[]).includes(error.name);
}
