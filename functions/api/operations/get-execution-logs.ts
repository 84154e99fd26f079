import { HttpError } from '../../../core/errors.ts';
import { type ApiDeps } from '../deps.ts';
import { findWorkflow } from '../../executions/find-workflow.ts';
import type { ApiResult } from '../response.ts';
import { requireExecution } from './get-execution.ts';

/** `GET /workflows/{name}/executions/{id}/logs`: the task log lines of the execution, oldest first. */
export async function getExecutionLogs(deps: ApiDeps, workflowName: string, executionId: string): Promise<ApiResult> {
  findWorkflow(deps, workflowName);
  if (!deps.logs) throw new HttpError(501, 'not_implemented', 'task logs are in CloudWatch Logs on AWS; this API does not serve them');
  await requireExecution(deps.store, workflowName, executionId);
  return { statusCode: 200, body: { lines: await deps.logs.read(workflowName, executionId) } };
}
