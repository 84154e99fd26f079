import { DeleteMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS deletes at most 10 messages per DeleteMessageBatch. */
const MAX_ENTRIES = 10;
/** How long a handled message waits for others to share its delete: far below any visibility timeout. */
const GATHER_MS = 10;

/**
 * The event source's deletes of handled messages, gathered: the messages done within a few milliseconds go
 * in DeleteMessageBatch calls of up to ten per queue, rather than one call each.
 */
export class DeleteBatcher {
  private readonly pending = new Map<string, string[]>();
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly sqs: SQSClient, private readonly onError: (error: Error) => void) {}

  add(queueUrl: string, receiptHandles: readonly string[]): void {
    if (!receiptHandles.length) return;
    const list = this.pending.get(queueUrl) ?? [];
    list.push(...receiptHandles);
    this.pending.set(queueUrl, list);
    if (list.length >= MAX_ENTRIES) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      this.timer = setTimeout(() => this.flush(), GATHER_MS);
    }
  }

  /** Sends what is pending and waits for every delete in flight. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.inFlight]);
  }

  private flush(): void {
    this.scheduled = false;
    clearTimeout(this.timer);
    for (const [queueUrl, handles] of this.pending) {
      for (let i = 0; i < handles.length; i += MAX_ENTRIES) {
        const entries = handles.slice(i, i + MAX_ENTRIES).map((handle, k) => ({ Id: String(k), ReceiptHandle: handle }));
        const sending: Promise<void> = this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }))
          .then((out) => {
            if (out.Failed?.length) this.onError(new Error(`${out.Failed.length} deletes failed: ${out.Failed[0].Message ?? out.Failed[0].Code}`));
          }, this.onError)
          .finally(() => this.inFlight.delete(sending));
        this.inFlight.add(sending);
      }
    }
    this.pending.clear();
  }
}
