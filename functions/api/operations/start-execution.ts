import { Conflict, PayloadTooLarge } from '../../shared/errors.ts';
import type { ExecutionRecord } from '../../shared/execution-store.ts';
import { findWorkflow, type ApiDeps } from '../deps.ts';
import { executionArnFor } from '../execution-runner.ts';
import { inputHash } from '../input-hash.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { startExecutionBody } from '../schemas.ts';
import { MAX_PAYLOAD_BYTES } from '../payload-limit.ts';

/**
 * `POST /workflows/{name}/executions` `{ input, name? }`.
 *
 * Idempotent by name: the record is claimed with a conditional put before Step Functions is asked, so
 * a repeat with the same input answers 200 with the same execution and a repeat with another input 409.
 */
export async function startExecution(deps: ApiDeps, workflowName: string, body: unknown): Promise<ApiResult> {
  const workflow = findWorkflow(deps, workflowName);
  const request = parseRequest(startExecutionBody, body ?? {}, 'request body');
  const input = request.input === undefined ? {} : request.input;
  deps.validator.check(workflowName, workflow.inputSchema, input);
  const inputText = JSON.stringify(input);
  if (Buffer.byteLength(inputText) > MAX_PAYLOAD_BYTES) {
    throw new PayloadTooLarge(`input is larger than ${MAX_PAYLOAD_BYTES} bytes, the Step Functions payload limit`);
  }

  const executionId = request.name ?? deps.newId();
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
    return { statusCode: 200, body: accepted(existing) };
  }

  let outcome: Awaited<ReturnType<ApiDeps['runner']['start']>>;
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
  return { statusCode: 202, body: accepted(created.record) };
}

function accepted(record: ExecutionRecord) {
  return { executionId: record.executionId, name: record.executionId, workflow: record.workflow, status: record.status };
}
