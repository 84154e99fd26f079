import { isTerminal } from '../../../core/contracts/execution-status.ts';
import { normaliseCause } from '../../../core/errors.ts';
import type { ExecutionRecord } from '../../executions/execution-store.ts';
import { type ApiDeps } from '../deps.ts';
import { findWorkflow } from '../../executions/find-workflow.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { startExecutionBody } from '../schemas.ts';
import { startWorkflowExecution } from '../../executions/start-workflow-execution.ts';

/**
 * `POST /workflows/{name}/executions` `{ input, name? }`: 202 when started, 200 when the same name and
 * input were started before (idempotent by name), 409 for the same name with another input. An Express
 * execution short enough to await (`runsSynchronously`) answers 200 once it has ended, with its output.
 */
export async function startExecution(deps: ApiDeps, workflowName: string, body: unknown): Promise<ApiResult> {
  findWorkflow(deps, workflowName);
  const request = parseRequest(startExecutionBody, body ?? {}, 'request body');
  const input = request.input === undefined ? {} : request.input;
  const started = await startWorkflowExecution(deps, workflowName, input, request.name ?? deps.newId());
  const ended = isTerminal(started.record.status);
  return { statusCode: started.status === 'started' && !ended ? 202 : 200, body: accepted(started.record, ended) };
}

function accepted(record: ExecutionRecord, ended: boolean) {
  const summary = { executionId: record.executionId, name: record.executionId, workflow: record.workflow, status: record.status };
  if (!ended) return summary;
  return { ...summary, output: record.output ?? null, error: record.error ?? null, cause: normaliseCause(record.cause) ?? null };
}
