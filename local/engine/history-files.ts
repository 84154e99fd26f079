import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomically } from '../private/json-file.ts';
import type { HistoryEvent } from './execution-history.ts';

/**
 * Histories of ended executions on disk, one JSON file per execution, so GetExecutionHistory answers
 * after a restart. Running executions' histories live in memory only.
 */
export class HistoryFiles {
  constructor(private readonly dir: string) {}

  async save(executionArn: string, events: readonly HistoryEvent[]): Promise<void> {
    await writeJsonFileAtomically(this.file(executionArn), events);
  }

  async load(executionArn: string): Promise<HistoryEvent[] | undefined> {
    const raw = await readJsonFile<(HistoryEvent & { timestamp: string })[]>(this.file(executionArn));
    return raw?.map((e) => ({ ...e, timestamp: new Date(e.timestamp) }));
  }

  private file(executionArn: string): string {
    const [, , , , , , workflow, name] = executionArn.split(':');
    return join(this.dir, `${encodeURIComponent(workflow)}--${encodeURIComponent(name)}.json`);
  }
}
