import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
 * the other, so a file is never written by two at once, and each goes through a temporary file.
 */
export class EventBusStore {
  private saving: Promise<void> = Promise.resolve();
  /** A rewrite of `pending.jsonl` is queued and has not started: it will see every change made before it starts. */
  private pendingSaveQueued = false;

  constructor(private readonly props: EventBusStoreProps) {}

  async loadRules(): Promise<SavedRule[]> {
    const saved = await readJson<{ rules: SavedRule[] }>(join(this.props.dataDir, 'rules.json'));
    return saved?.rules ?? [];
  }

  async loadPending(): Promise<Delivery[]> {
    const pending = await readFile(join(this.props.dataDir, 'pending.jsonl'), 'utf8').catch(() => '');
    return pending.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Delivery);
  }

  /** Writes the rules after the writes already queued. */
  saveRules(rules: readonly SavedRule[]): void {
    const file = join(this.props.dataDir, 'rules.json');
    this.chain(`writing ${file}`, async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify({ rules }, null, 2));
      await rename(`${file}.tmp`, file);
    });
  }

  /**
   * Rewrites `pending.jsonl` with `pending()` read when the write starts, after the writes already queued;
   * removes it when there is none. Changes made before the rewrite starts share it.
   */
  savePending(pending: () => readonly Delivery[]): void {
    if (this.pendingSaveQueued) return;
    this.pendingSaveQueued = true;
    const dir = this.props.dataDir;
    const file = join(dir, 'pending.jsonl');
    this.chain(`writing ${file}`, async () => {
      this.pendingSaveQueued = false;
      const left = pending();
      if (left.length === 0) {
        await rm(file, { force: true });
        return;
      }
      await mkdir(dir, { recursive: true });
      await writeFile(`${file}.tmp`, left.map((d) => JSON.stringify(d) + '\n').join(''));
      await rename(`${file}.tmp`, file);
    });
  }

  /** Appends a delivery that failed every try to `dead-letters.jsonl` (EventBridge's dead-letter queue). */
  async deadLetter(record: Delivery & { readonly failedAt: string; readonly error: string }): Promise<void> {
    try {
      await mkdir(this.props.dataDir, { recursive: true });
      await appendFile(join(this.props.dataDir, 'dead-letters.jsonl'), JSON.stringify(record) + '\n');
    } catch (appendError) {
      this.props.onError(`dead-lettering ${JSON.stringify(record)} failed`, appendError);
    }
  }

  /** Resolves once every write queued so far is done (or has failed and been reported). */
  async flush(): Promise<void> {
    await this.saving;
  }

  /** Queues a write after the previous ones; its failure is reported and does not stop the writes after it. */
  private chain(what: string, write: () => Promise<void>): void {
    this.saving = this.saving.then(write).catch((error: unknown) => this.props.onError(`${what} failed`, error));
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
