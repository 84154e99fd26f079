import type { DynamoDbExecutionStore } from '../functions/executions/dynamodb-execution-store.ts';
import type { StatusChange } from '../functions/executions/execution-store.ts';
import type { ExecutionDescription } from './engine/execution.ts';
import type { LocalEngine } from './engine/local-engine.ts';

export interface ReconciliationReport {
  /** Records rewritten from the engine's journal. */
  readonly rewritten: number;
  /** Records of executions the engine never started, removed with their index entries. */
  readonly removed: number;
}

/**
 * Makes the store agree with the engine, the source of truth of offline executions, at start and before
 * anything runs: dynalite writes an item's index entries and then the item, with no transaction, so a
 * process killed at the wrong moment leaves GET, listings and status filters disagreeing.
 * - every execution the journal had unsettled is rewritten whole (which rewrites its index entries);
 * - every listed execution whose status differs from the engine's is rewritten from the engine;
 * - every execution listed RUNNING that the engine does not know (the process died between the API's
 *   record and the start) is removed, index entries included.
 */
export async function reconcileExecutions(
  store: DynamoDbExecutionStore,
  engine: LocalEngine,
  unsettled: readonly ExecutionDescription[],
): Promise<ReconciliationReport> {
  let rewritten = 0;
  let removed = 0;
  const done = new Set<string>();
  for (const description of unsettled) {
    await store.rewrite(statusChangeOf(description));
    done.add(description.executionArn);
    rewritten++;
  }
  for (const workflow of engine.workflows().map((w) => w.name)) {
    for (const listed of await store.listAll(workflow)) {
      const arn = engine.executionArn(workflow, listed.executionId);
      if (done.has(arn)) continue;
      const known = engine.find(arn);
      if (!known) {
        if (listed.status !== 'RUNNING') continue; // a record older than the journal: nothing runs it, nothing claims it runs
        await store.forget(workflow, listed.executionId, listed.startDate);
        removed++;
      } else if (known.status !== listed.status) {
        await store.rewrite(statusChangeOf(known));
        rewritten++;
      }
      done.add(arn);
    }
  }
  return { rewritten, removed };
}

function statusChangeOf(d: ExecutionDescription): StatusChange {
  return {
    workflow: d.workflow,
    executionId: d.name,
    executionArn: d.executionArn,
    status: d.status,
    startDate: d.startDate.toISOString(),
    input: d.input,
    ...(d.stopDate ? { stopDate: d.stopDate.toISOString() } : {}),
    ...(d.output !== undefined ? { output: d.output } : {}),
    ...(d.error !== undefined ? { error: d.error } : {}),
    ...(d.cause !== undefined ? { cause: d.cause } : {}),
  };
}
