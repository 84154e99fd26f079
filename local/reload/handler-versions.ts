/**
 * Which edit of each handler module new executions call. A module is imported again under a new URL for
 * each edit (Node's ESM cache, which tsx shares, never forgets a module, so the URL carries the version);
 * a broken edit takes an attempt number but never becomes the current version.
 */
export class HandlerVersions {
  private readonly current = new Map<string, number>();
  private readonly attempts = new Map<string, number>();

  /** The version new executions call; 0 (the file as first imported) until an edit loads. */
  of(file: string): number {
    return this.current.get(file) ?? 0;
  }

  /** A version number never used for this file before. */
  nextAttempt(file: string): number {
    const next = Math.max(this.attempts.get(file) ?? 0, this.of(file)) + 1;
    this.attempts.set(file, next);
    return next;
  }

  /** Makes a loaded version the current one. */
  adopt(file: string, version: number): void {
    this.current.set(file, version);
  }
}
