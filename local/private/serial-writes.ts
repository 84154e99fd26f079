/**
 * Writes run one after the other, in the order they were queued, so a file is never written by two at once.
 * A failed write is reported and does not stop the writes after it (the next change writes the file anew).
 */
export class SerialWrites {
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly onError: (message: string, error: unknown) => void) {}

  /** Queues a write after the previous ones; `what` names it in the report of its failure. */
  queue(what: string, write: () => Promise<void>): void {
    this.last = this.last.then(write).catch((error: unknown) => this.onError(`${what} failed`, error));
  }

  /** Resolves once every write queued so far is done (or has failed and been reported). */
  async flush(): Promise<void> {
    await this.last;
  }
}
