import { mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomically } from '../private/json-file.ts';
import type { Clock } from '../clock.ts';
import type { ExecutionDescription } from './execution.ts';
import type { Outcome } from './execution-run.ts';
import { outcomeKey, type RecordedOutcome } from './recorded-outcome.ts';

/** One line of an execution's log. Times are epoch ms. */
export type JournalEntry =
  | { readonly type: 'started'; readonly at: number; readonly execution: SavedDescription }
  | ({ readonly type: 'task'; readonly at: number; readonly state: string; readonly attempt: number } & RecordedOutcome)
  | { readonly type: 'ended'; readonly at: number; readonly outcome: Outcome; readonly stopDate: string };

/** An execution as the journal has it after a restart. */
export interface JournaledExecution {
  readonly description: ExecutionDescription;
  /**
   * False while its log is kept: it was running, or its final status may not have reached the listener
   * (the store). True once `settle` has written its final description.
   */
  readonly settled: boolean;
  /** Recorded task outcomes by `outcomeKey(state, attempt)`. */
  readonly outcomes: ReadonlyMap<string, RecordedOutcome>;
  /** When its log was last written: for an execution that cannot be resumed, when the stack stopped. */
  readonly lastWrite: Date;
}

type SavedDescription = Omit<ExecutionDescription, 'startDate' | 'stopDate'> & { readonly startDate: string; readonly stopDate?: string };

/**
 * The engine's executions on disk, under one folder:
 * - `<workflow>--<name>.log`, append-only while an execution is unsettled: the started execution, every
 *   task outcome (per state and attempt) and the end, one JSON line each, each flushed to disk (fsync)
 *   before the engine acts on it. A torn last line (the process died mid-write) is ignored.
 * - `<workflow>--<name>.json`, the final description, written atomically once the final status has been
 *   delivered; the log is removed after it.
 * A restart replays every log: running executions resume with their recorded outcomes (see LocalEngine).
 */
export class ExecutionJournal {
  private readonly handles = new Map<string, Promise<FileHandle>>();
  private ready = false;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
  ) {}

  /** Creates the execution's log with its started line; throws when it cannot be written (nothing is kept). */
  async begin(description: ExecutionDescription): Promise<void> {
    await this.ensureDir();
    const arn = description.executionArn;
    const handle = open(this.logFile(arn), 'a');
    this.handles.set(arn, handle);
    try {
      await this.write(arn, { type: 'started', at: this.clock.now(), execution: saved(description) });
    } catch (error) {
      this.handles.delete(arn);
      await handle.then((h) => h.close(), () => undefined);
      await rm(this.logFile(arn), { force: true }).catch(() => undefined);
      throw error;
    }
  }

  /** Reopens the log of an execution resumed after a restart. */
  reopen(executionArn: string): void {
    if (!this.handles.has(executionArn)) this.handles.set(executionArn, open(this.logFile(executionArn), 'a'));
  }

  /** Appends a task outcome, flushed to disk before it resolves. Ignored once the journal is closed. */
  async recordTask(executionArn: string, state: string, attempt: number, outcome: RecordedOutcome): Promise<void> {
    await this.write(executionArn, { type: 'task', at: this.clock.now(), state, attempt, ...outcome });
  }

  /** Appends the end of an execution (its outcome and stop date) and closes its log. */
  async end(description: ExecutionDescription): Promise<void> {
    const { status, output, error, cause } = description;
    const outcome: Outcome = { status, output, error, cause };
    const stopDate = (description.stopDate ?? new Date(this.clock.now())).toISOString();
    await this.write(description.executionArn, { type: 'ended', at: this.clock.now(), outcome, stopDate });
    await this.release(description.executionArn);
  }

  /** Writes the final description and drops the log: its final status has been delivered. */
  async settle(description: ExecutionDescription): Promise<void> {
    if (this.closed) return;
    await this.release(description.executionArn);
    await writeJsonFileAtomically(join(this.dir, `${fileStem(description.executionArn)}.json`), saved(description));
    await rm(this.logFile(description.executionArn), { force: true });
  }

  /** Closes every open log; later writes are ignored (the execution resumes from what was written). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.handles.keys()].map((arn) => this.release(arn)));
  }

  async loadAll(): Promise<JournaledExecution[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const logs = new Set(names.filter((n) => n.endsWith('.log')).map((n) => n.slice(0, -4)));
    const executions: JournaledExecution[] = [];
    for (const name of names) {
      if (name.endsWith('.log')) {
        const replayed = replayLog(await readFile(join(this.dir, name), 'utf8'));
        if (replayed) executions.push(replayed);
        else await rm(join(this.dir, name), { force: true }); // died before its first line: never started
      } else if (name.endsWith('.json') && !logs.has(name.slice(0, -5))) {
        const raw = await readJsonFile<SavedDescription>(join(this.dir, name));
        if (raw) executions.push({ description: revive(raw), settled: true, outcomes: new Map(), lastWrite: new Date(raw.stopDate ?? raw.startDate) });
      }
    }
    return executions;
  }

  private async write(executionArn: string, entry: JournalEntry): Promise<void> {
    if (this.closed) return;
    const handle = this.handles.get(executionArn);
    if (!handle) throw new Error(`no open journal for ${executionArn}`);
    const file = await handle;
    await file.appendFile(`${JSON.stringify(entry)}\n`);
    await file.datasync();
  }

  private async release(executionArn: string): Promise<void> {
    const handle = this.handles.get(executionArn);
    this.handles.delete(executionArn);
    await handle?.then((h) => h.close(), () => undefined);
  }

  private async ensureDir(): Promise<void> {
    if (this.ready) return;
    await mkdir(this.dir, { recursive: true });
    this.ready = true;
  }

  private logFile(executionArn: string): string {
    return join(this.dir, `${fileStem(executionArn)}.log`);
  }
}

/** The execution a log describes, or undefined when it has no complete started line. */
function replayLog(text: string): JournaledExecution | undefined {
  let description: ExecutionDescription | undefined;
  let lastWrite = 0;
  const outcomes = new Map<string, RecordedOutcome>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      continue; // torn by a crash mid-write: the outcome was never acknowledged
    }
    lastWrite = Math.max(lastWrite, entry.at);
    if (entry.type === 'started') description = revive(entry.execution);
    else if (!description) continue;
    else if (entry.type === 'task') outcomes.set(outcomeKey(entry.state, entry.attempt), 'error' in entry && entry.error ? { error: entry.error } : { result: entry.result });
    else if (entry.type === 'ended') description = { ...description, ...entry.outcome, stopDate: new Date(entry.stopDate) };
  }
  return description && { description, settled: false, outcomes, lastWrite: new Date(lastWrite) };
}

function saved(description: ExecutionDescription): SavedDescription {
  return { ...description, startDate: description.startDate.toISOString(), stopDate: description.stopDate?.toISOString() };
}

function revive(raw: SavedDescription): ExecutionDescription {
  return { ...raw, startDate: new Date(raw.startDate), stopDate: raw.stopDate ? new Date(raw.stopDate) : undefined };
}

function fileStem(executionArn: string): string {
  const [, , , , , , workflow, name] = executionArn.split(':');
  return `${encodeURIComponent(workflow)}--${encodeURIComponent(name)}`;
}
