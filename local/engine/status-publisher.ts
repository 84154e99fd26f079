import type { Clock } from '../clock.ts';
import type { ExecutionDescription } from './execution.ts';
import type { ExecutionStatusChangeEvent } from './status-event.ts';

export type StatusListener<E = ExecutionStatusChangeEvent> = (event: E) => void | Promise<void>;

export interface StatusPublisherProps<E> {
  readonly clock: Clock;
  /** The event of a change, or undefined when this kind of event has none for it. */
  readonly build: (description: ExecutionDescription, now: Date) => E | undefined;
  /** Told of every change at once (the engine's `status` event). */
  readonly emit: (event: E) => void;
  /** Receives the changes one at a time, in order per execution. @default none */
  readonly listener?: StatusListener<E>;
  /** Told when the listener throws; the next changes are delivered all the same. */
  readonly onListenerError: (error: unknown, event: E) => void;
}

/**
 * Execution status events ("Step Functions Execution Status Change" events, or Express execution log
 * deliveries), delivered to the listener in order per execution and concurrently across executions (as
 * the recorder receives them from EventBridge or a log subscription).
 */
export class StatusPublisher<E = ExecutionStatusChangeEvent> {
  /** Changes on their way to the listener, by execution. */
  private readonly deliveries = new Map<string, Promise<void>>();

  constructor(private readonly props: StatusPublisherProps<E>) {}

  /**
   * Emits the status change and queues it for the listener; resolves once the listener has it (true) or
   * threw (false). A change this kind of event does not cover counts as delivered.
   */
  publish(description: ExecutionDescription): Promise<boolean> {
    const event = this.props.build(description, new Date(this.props.clock.now()));
    if (event === undefined) return Promise.resolve(true);
    this.props.emit(event);
    const arn = description.executionArn;
    let taken = false;
    const delivered = (this.deliveries.get(arn) ?? Promise.resolve()).then(async () => {
      try {
        await this.props.listener?.(event);
        taken = true;
      } catch (error) {
        this.props.onListenerError(error, event);
      }
    });
    this.deliveries.set(arn, delivered);
    // Forget the chain once it is drained, so the map holds only executions with changes in flight.
    void delivered.then(() => {
      if (this.deliveries.get(arn) === delivered) this.deliveries.delete(arn);
    });
    return delivered.then(() => taken);
  }

  /** Resolves when every change so far has been delivered. */
  async flush(): Promise<void> {
    await Promise.all(this.deliveries.values());
  }
}
