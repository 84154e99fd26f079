import { NotFound } from '../../../core/errors.ts';
import { type ApiDeps } from '../deps.ts';
import { findWorkflow } from '../../executions/find-workflow.ts';
import type { ApiResult } from '../response.ts';
import { requireExecution } from './get-execution.ts';

/** `GET /workflows/{name}/executions/{id}/logs`: the task log lines of the execution, oldest first. */
export async function getExecutionLogs(deps: ApiDeps, workflowName: string, executionId: string): Promise<ApiResult> {
  findWorkflow(deps, workflowName);
  await requireExecution(deps.store, workflowName, executionId);
  // Deployed, task logs are in each task function's CloudWatch Logs group, not kept by the API.
  if (!deps.logs) throw new NotFound('task logs are kept in CloudWatch Logs (/aws/lambda/<task function>) on AWS; this API does not serve them', { code: 'logs_not_kept' });
  return { statusCode: 200, body: { lines: await deps.logs.read(workflowName, executionId) } };
}
