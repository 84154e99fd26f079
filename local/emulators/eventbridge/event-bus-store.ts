import { appendFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, readJsonLines, writeJsonFileAtomically, writeJsonLinesAtomically } from '../../private/json-file.ts';
import { SerialWrites } from '../../private/serial-writes.ts';
import type { Delivery } from './delivery-queue.ts';
import type { SavedRule } from './rules.ts';

export interface EventBusStoreProps {
  readonly dataDir: string;
  /** Told of a failed write; nothing else stops for it. */
  readonly onError: (message: string, error: unknown) => void;
}

/**
 * The bus on disk: rules and targets (`rules.json`), deliveries not yet done (`pending.jsonl`, rewritten as
 * they change) and deliveries that failed every try (`dead-letters.jsonl`). Writes are queued one after
 * the other and each replaces its file atomically.
 */
export class EventBusStore {
  private readonly writes: SerialWrites;
  /** A rewrite of `pending.jsonl` is queued and has not started: it will see every change made before it starts. */
  private pendingSaveQueued = false;

  constructor(private readonly props: EventBusStoreProps) {
    this.writes = new SerialWrites(props.onError);
  }

  /** The saved rules; none when the file is missing or unreadable. */
  async loadRules(): Promise<SavedRule[]> {
    const saved = await readJsonFile<{ rules: SavedRule[] }>(this.file('rules.json')).catch(() => undefined);
    return saved?.rules ?? [];
  }

  /** The deliveries left pending; none when the file is missing or unreadable. */
  async loadPending(): Promise<Delivery[]> {
    return readJsonLines<Delivery>(this.file('pending.jsonl')).catch(() => []);
  }

  /** The deliveries that failed every try, oldest first; none when the file is missing or unreadable. */
  async loadDeadLetters(): Promise<(Delivery & { readonly failedAt: string; readonly error: string })[]> {
    return readJsonLines<Delivery & { failedAt: string; error: string }>(this.file('dead-letters.jsonl')).catch(() => []);
  }

  /** Writes the rules after the writes already queued. */
  saveRules(rules: readonly SavedRule[]): void {
    const file = this.file('rules.json');
    this.writes.queue(`writing ${file}`, () => writeJsonFileAtomically(file, { rules }, { pretty: true }));
  }

  /**
   * Rewrites `pending.jsonl` with `pending()` read when the write starts, after the writes already queued;
   * removes it when there is none. Changes made before the rewrite starts share it.
   */
  savePending(pending: () => readonly Delivery[]): void {
    if (this.pendingSaveQueued) return;
    this.pendingSaveQueued = true;
    const file = this.file('pending.jsonl');
    this.writes.queue(`writing ${file}`, async () => {
      this.pendingSaveQueued = false;
      const left = pending();
      if (left.length === 0) await rm(file, { force: true });
      else await writeJsonLinesAtomically(file, left);
    });
  }

  /** Appends a delivery that failed every try to `dead-letters.jsonl` (EventBridge's dead-letter queue). */
  async deadLetter(record: Delivery & { readonly failedAt: string; readonly error: string }): Promise<void> {
    try {
      await mkdir(this.props.dataDir, { recursive: true });
      // Appended, not rewritten: one line is one write, and earlier lines are never touched.
      await appendFile(this.file('dead-letters.jsonl'), JSON.stringify(record) + '\n');
    } catch (appendError) {
      this.props.onError(`dead-lettering ${JSON.stringify(record)} failed`, appendError);
    }
  }

  /** Resolves once every write queued so far is done (or has failed and been reported). */
  flush(): Promise<void> {
    return this.writes.flush();
  }

  private file(name: string): string {
    return join(this.props.dataDir, name);
  }
}
