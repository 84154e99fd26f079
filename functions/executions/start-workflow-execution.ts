import { Conflict, PayloadTooLarge } from '../../core/errors.ts';
import type { ExecutionRecord, ExecutionStore } from './execution-store.ts';
import type { WorkflowConfig } from '../../core/contracts/workflow-entry.ts';
import type { InputValidator } from './input-validator.ts';
import type { ExecutionRunner } from './execution-runner.ts';
import { findWorkflow } from './find-workflow.ts';
import { executionArnFor } from './execution-runner.ts';
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
    executionArn: executionArnFor(workflow.stateMachineArn, executionId),
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
  return { status: 'started', record: created.record };
}
