import { Conflict, PayloadTooLarge } from '../../core/errors.ts';
import type { ExecutionRecord, ExecutionStore } from './execution-store.ts';
import type { WorkflowConfig } from '../../core/contracts/workflow-entry.ts';
import type { InputValidator } from './input-validator.ts';
import type { ExecutionRunner, StartRequest, SyncOutcome } from './execution-runner.ts';
import { findWorkflow } from './find-workflow.ts';
import { executionArnFor, runsSynchronously } from './execution-runner.ts';
import { inputHash } from './input-hash.ts';
import { MAX_PAYLOAD_BYTES } from '../../core/asl/limits.ts';

/** What starting an execution needs: the API and the schedule dispatcher both start this way. */
export interface StartDeps {
  readonly store: ExecutionStore;
  readonly runner: ExecutionRunner;
  /** Deployed workflows by name. */
  readonly workflows: Readonly<Record<string, WorkflowConfig>>;
  readonly clock: () => Date;
  readonly validator: InputValidator;
  /**
   * Run Express executions that fit in an API call (`runsSynchronously`) with StartSyncExecution and record
   * how they ended: Step Functions sends no status-change events for Express executions
   * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html).
   * @default false
   */
  readonly syncExpress?: boolean;
}

export interface StartedExecution {
  /** `existing` when an execution of this name and input was recorded already (a repeated start). */
  readonly status: 'started' | 'existing';
  readonly record: ExecutionRecord;
}

/**
 * Starts execution `executionId` of a workflow with `input`, idempotently by name: the record is claimed
 * with a conditional put before Step Functions is asked, so a repeat with the same input answers the
 * same execution and a repeat with another input is a Conflict (`idempotency_conflict`). Unknown workflow
 * → NotFound, input against the schema → BadRequest, too large → PayloadTooLarge, a name Step Functions
 * already knows from elsewhere → Conflict (`execution_exists`).
 */
export async function startWorkflowExecution(
  deps: StartDeps,
  workflowName: string,
  input: unknown,
  executionId: string,
): Promise<StartedExecution> {
  const workflow = findWorkflow(deps, workflowName);
  deps.validator.check(workflowName, workflow.inputSchema, input);
  const inputText = JSON.stringify(input);
  if (Buffer.byteLength(inputText) > MAX_PAYLOAD_BYTES) {
    throw new PayloadTooLarge(`input is larger than ${MAX_PAYLOAD_BYTES} bytes, the Step Functions payload limit`);
  }

  const hash = inputHash(input);
  const start = { stateMachineArn: workflow.stateMachineArn, name: executionId, input: inputText };
  const created = await deps.store.create({
    workflow: workflowName,
    executionId,
    executionArn: executionArnFor(workflow.stateMachineArn, executionId, workflow.mode),
    input,
    inputHash: hash,
    startDate: deps.clock().toISOString(),
  });

  if (!created.created) {
    const existing = created.existing;
    if (existing.inputHash !== hash) {
      throw new Conflict(`execution "${executionId}" of workflow "${workflowName}" exists with another input`, {
        code: 'idempotency_conflict',
      });
    }
    // Starting a Standard execution again with the same name and input is a no-op in Step Functions,
    // so repeating it heals a start that was recorded but never reached Step Functions.
    if (workflow.mode === 'STANDARD' && existing.status === 'RUNNING') await deps.runner.start(start);
    return { status: 'existing', record: existing };
  }

  if (deps.syncExpress && runsSynchronously(workflow)) return runToEnd(deps, workflowName, created.record, start);

  let outcome: Awaited<ReturnType<StartDeps['runner']['start']>>;
  try {
    outcome = await deps.runner.start(start);
  } catch (error) {
    await deps.store.discard(workflowName, executionId);
    throw error;
  }
  if (outcome.outcome === 'already-exists') {
    // Step Functions knows this name from an execution the store does not (e.g. started directly).
    await deps.store.discard(workflowName, executionId);
    throw new Conflict(`workflow "${workflowName}" already has an execution named "${executionId}"`, { code: 'execution_exists' });
  }
  // Express ARNs carry an id chosen on start: keep the real one.
  if (outcome.executionArn && outcome.executionArn !== created.record.executionArn) {
    await deps.store.recordArn(workflowName, executionId, outcome.executionArn);
    return { status: 'started', record: { ...created.record, executionArn: outcome.executionArn } };
  }
  return { status: 'started', record: created.record };
}

/** StartSyncExecution, then the end recorded as the recorder would record a status change. */
async function runToEnd(deps: StartDeps, workflowName: string, record: ExecutionRecord, start: StartRequest): Promise<StartedExecution> {
  let ended: SyncOutcome;
  try {
    ended = await deps.runner.startSync(start);
  } catch (error) {
    await deps.store.discard(workflowName, record.executionId);
    throw error;
  }
  await deps.store.recordStatus({
    workflow: workflowName,
    executionId: record.executionId,
    executionArn: ended.executionArn || record.executionArn,
    status: ended.status,
    startDate: record.startDate,
    stopDate: ended.stopDate.toISOString(),
    // With the input, the store knows how much room the output has next to it.
    input: start.input,
    ...(ended.output !== undefined ? { output: ended.output } : {}),
    ...(ended.error !== undefined ? { error: ended.error } : {}),
    ...(ended.cause !== undefined ? { cause: ended.cause } : {}),
  });
  return { status: 'started', record: (await deps.store.get(workflowName, record.executionId)) ?? record };
}
