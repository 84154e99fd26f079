import type { CoordinatorStore, StoredGates } from './coordinator-store.ts';
import { NO_GATES, type Gates } from './gates.ts';

/** CoordinatorStore in memory: for one process (the offline engine without a table, tests). */
export class MemoryCoordinatorStore implements CoordinatorStore {
  private readonly gates = new Map<string, StoredGates>();
  private readonly tokens = new Map<string, string>();
  private readonly outputs = new Map<string, Record<string, unknown>>();

  async load(execution: string): Promise<StoredGates> {
    return this.gates.get(execution) ?? { gates: NO_GATES, version: 0 };
  }

  async save(execution: string, gates: Gates, version: number): Promise<boolean> {
    if ((this.gates.get(execution)?.version ?? 0) !== version) return false;
    this.gates.set(execution, { gates: structuredClone(gates), version: version + 1 });
    return true;
  }

  async putToken(execution: string, task: string, token: string): Promise<void> {
    this.tokens.set(`${execution}#${task}`, token);
  }

  async getToken(execution: string, task: string): Promise<string | undefined> {
    return this.tokens.get(`${execution}#${task}`);
  }

  async putOutput(execution: string, task: string, output: Record<string, unknown>): Promise<void> {
    this.outputs.set(`${execution}#${task}`, structuredClone(output));
  }

  async getOutputs(execution: string, tasks: readonly string[]): Promise<Record<string, Record<string, unknown>>> {
    const found: Record<string, Record<string, unknown>> = {};
    for (const task of tasks) {
      const output = this.outputs.get(`${execution}#${task}`);
      if (output) found[task] = structuredClone(output);
    }
    return found;
  }
}
