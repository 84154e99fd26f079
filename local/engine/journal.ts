import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomically } from '../private/json-file.ts';
import type { ExecutionDescription } from './execution.ts';

/**
 * The engine's executions on disk, one JSON file per execution, each replaced atomically. It lets
 * DescribeExecution answer after a restart and lets the engine find executions that were RUNNING when
 * the process died.
 */
export class ExecutionJournal {
  constructor(private readonly dir: string) {}

  async save(execution: ExecutionDescription): Promise<void> {
    await writeJsonFileAtomically(join(this.dir, fileName(execution.executionArn)), execution);
  }

  async loadAll(): Promise<ExecutionDescription[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const executions: ExecutionDescription[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const raw = await readJsonFile<ExecutionDescription & { startDate: string; stopDate?: string }>(join(this.dir, name));
      if (raw) executions.push({ ...raw, startDate: new Date(raw.startDate), stopDate: raw.stopDate ? new Date(raw.stopDate) : undefined });
    }
    return executions;
  }
}

function fileName(executionArn: string): string {
  const [, , , , , , workflow, name] = executionArn.split(':');
  return `${encodeURIComponent(workflow)}--${encodeURIComponent(name)}.json`;
}
