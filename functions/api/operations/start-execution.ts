import type { ExecutionRecord } from '../../executions/execution-store.ts';
import { type ApiDeps } from '../deps.ts';
import { findWorkflow } from '../../executions/find-workflow.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { startExecutionBody } from '../schemas.ts';
import { startWorkflowExecution } from '../../executions/start-workflow-execution.ts';

/**
 * `POST /workflows/{name}/executions` `{ input, name? }`: 202 when started, 200 when the same name and
 * input were started before (idempotent by name), 409 for the same name with another input.
 */
export async function startExecution(deps: ApiDeps, workflowName: string, body: unknown): Promise<ApiResult> {
  findWorkflow(deps, workflowName);
  const request = parseRequest(startExecutionBody, body ?? {}, 'request body');
  const input = request.input === undefined ? {} : request.input;
  const started = await startWorkflowExecution(deps, workflowName, input, request.name ?? deps.newId());
  return { statusCode: started.status === 'started' ? 202 : 200, body: accepted(started.record) };
}

function accepted(record: ExecutionRecord) {
  return { executionId: record.executionId, name: record.executionId, workflow: record.workflow, status: record.status };
}
