import type { RecoverOptions, RecoveryReport } from './engine-options.ts';
import type { ExecutionDescription } from './execution.ts';
import type { ExecutionEntry, ExecutionTable } from './execution-table.ts';
import type { ExecutionJournal, JournaledExecution } from './journal.ts';
import { RedriveReplay, SucceededTasks, type SucceededTask } from './redrive-ledger.ts';
import type { RunnableWorkflow } from './workflow.ts';

/** What recovery needs of the engine. */
export interface RecoveryContext {
  readonly journal: ExecutionJournal;
  readonly executions: ExecutionTable;
  readonly workflow: (name: string) => RunnableWorkflow | undefined;
  readonly deliverFinal: (description: ExecutionDescription, redrivable?: readonly SucceededTask[]) => Promise<void>;
  readonly launch: (workflow: RunnableWorkflow, entry: ExecutionEntry) => void;
}

/**
 * Loads the journal into the execution table: running executions resume (ended FAILED when their
 * workflow is gone), ended ones whose final status may not have been delivered are delivered again.
 */
export async function recoverExecutions(context: RecoveryContext, options: RecoverOptions): Promise<RecoveryReport> {
  const { journal, executions } = context;
  const report = { resumed: [] as ExecutionDescription[], ended: [] as ExecutionDescription[], redelivered: [] as ExecutionDescription[] };
  const resumable: { workflow: RunnableWorkflow; entry: ExecutionEntry }[] = [];
  const unsettled: ExecutionDescription[] = [];
  for (const saved of await journal.loadAll()) {
    if (executions.find(saved.description.executionArn)) continue;
    if (saved.settled) {
      executions.add({ description: saved.description, redrivable: saved.redrivable });
      continue;
    }
    const workflow = context.workflow(saved.description.workflow);
    if (saved.description.status === 'RUNNING' && workflow) {
      const entry: ExecutionEntry = {
        description: saved.description,
        outcomes: saved.outcomes,
        succeeded: new SucceededTasks(),
        replay: saved.replay ? new RedriveReplay(saved.replay) : undefined,
      };
      executions.add(entry);
      resumable.push({ workflow, entry });
      report.resumed.push(saved.description);
    } else {
      const description = saved.description.status === 'RUNNING' ? await endUnresumable(journal, saved) : saved.description;
      executions.add({ description, redrivable: saved.redrivable });
      (description === saved.description ? report.redelivered : report.ended).push(description);
    }
    unsettled.push(executions.get(saved.description.executionArn).description);
  }
  await options.repair?.(unsettled);
  for (const description of [...report.ended, ...report.redelivered]) {
    const entry = executions.get(description.executionArn);
    // A redrive waits for `settled`: the journal is settled before its log begins again.
    entry.settled = context.deliverFinal(description, entry.redrivable).then(() => description);
  }
  for (const { workflow, entry } of resumable) {
    journal.reopen(entry.description.executionArn);
    context.launch(workflow, entry);
  }
  return report;
}

/** A running execution whose workflow is gone: FAILED, stopped when the previous process last wrote its journal. */
async function endUnresumable(journal: ExecutionJournal, saved: JournaledExecution): Promise<ExecutionDescription> {
  const description: ExecutionDescription = {
    ...saved.description,
    status: 'FAILED',
    error: 'States.Runtime',
    cause: `workflow "${saved.description.workflow}" is no longer defined; the execution cannot be resumed`,
    stopDate: saved.lastWrite,
  };
  journal.reopen(description.executionArn);
  await journal.end(description);
  return description;
}
