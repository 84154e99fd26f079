import type { Gates } from './gates.ts';

/** The gates of one execution as stored, with the version a conditional save compares. */
export interface StoredGates {
  readonly gates: Gates;
  /** 0 when nothing is stored yet. */
  readonly version: number;
}

/**
 * Where the coordinator keeps each gated execution: its gates (saved only if nobody saved since they
 * were read), each gate's task token, and each task's reported output.
 */
export interface CoordinatorStore {
  load(execution: string): Promise<StoredGates>;
  /** Saves the gates if they are still at `version`; false when another call saved first. */
  save(execution: string, gates: Gates, version: number): Promise<boolean>;
  putToken(execution: string, task: string, token: string): Promise<void>;
  getToken(execution: string, task: string): Promise<string | undefined>;
  putOutput(execution: string, task: string, output: Record<string, unknown>): Promise<void>;
  /** The outputs of these tasks, by task; tasks without one are left out. */
  getOutputs(execution: string, tasks: readonly string[]): Promise<Record<string, Record<string, unknown>>>;
}
