import { parseExecutionArn } from './arn.ts';
import { ExecutionDoesNotExist, InvalidArn } from './errors.ts';
import type { ExecutionDescription, ListOptions, StopOptions } from './execution.ts';
import type { ExecutionHistory } from './execution-history.ts';
import type { RecordedOutcome } from './recorded-outcome.ts';

/** One execution the engine knows, and the handles of its run while it runs. */
export interface ExecutionEntry {
  description: ExecutionDescription;
  abort?: () => void;
  settled?: Promise<ExecutionDescription>;
  stopReason?: StopOptions;
  /** Events so far, for executions started by this process. */
  history?: ExecutionHistory;
  /** Aborted by the engine's `close()`: stays RUNNING in the journal and resumes on the next start. */
  shutdown?: boolean;
  /** Task outcomes recorded by a previous process, by `outcomeKey`: a resumed execution replays them. */
  outcomes?: ReadonlyMap<string, RecordedOutcome>;
}

/** Finished executions kept in memory for DescribeExecution and ListExecutions. */
export const MAX_FINISHED_IN_MEMORY = 10_000;

/**
 * The executions in memory, by ARN. Only the newest finished ones are kept: a long-running dev stack would
 * otherwise grow without bound. Older ones stay in the journal and the execution store, which the API reads.
 */
export class ExecutionTable {
  private readonly entries = new Map<string, ExecutionEntry>();
  /** ARNs of finished executions, oldest first. */
  private readonly finishedArns: string[] = [];

  constructor(private readonly maxFinished = MAX_FINISHED_IN_MEMORY) {}

  find(arn: string): ExecutionEntry | undefined {
    return this.entries.get(arn);
  }

  /** The entry of an execution; throws InvalidArn or ExecutionDoesNotExist as DescribeExecution does. */
  get(arn: string): ExecutionEntry {
    if (!parseExecutionArn(arn)) throw new InvalidArn(arn);
    const entry = this.entries.get(arn);
    if (!entry) throw new ExecutionDoesNotExist(arn);
    return entry;
  }

  add(entry: ExecutionEntry): void {
    this.entries.set(entry.description.executionArn, entry);
  }

  /** Forgets the entry, unless its ARN has been taken by another since. */
  remove(entry: ExecutionEntry): void {
    const arn = entry.description.executionArn;
    if (this.entries.get(arn) === entry) this.entries.delete(arn);
  }

  /** Newest first. */
  list(options: ListOptions = {}): ExecutionDescription[] {
    return [...this.entries.values()]
      .map((entry) => entry.description)
      .filter((d) => (options.workflow === undefined || d.workflow === options.workflow) && (options.status === undefined || d.status === options.status))
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  /** Executions running in this process (not those only read back from the journal). */
  running(): ExecutionEntry[] {
    return [...this.entries.values()].filter((e) => e.description.status === 'RUNNING' && e.abort);
  }

  /** Notes that an execution has finished, forgetting the oldest finished ones past the cap. */
  finished(arn: string): void {
    this.finishedArns.push(arn);
    while (this.finishedArns.length > this.maxFinished) {
      const oldest = this.finishedArns.shift()!;
      if (this.entries.get(oldest)?.description.status !== 'RUNNING') this.entries.delete(oldest);
    }
  }
}
