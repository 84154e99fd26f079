import { HttpError, NotFound } from '../../../core/errors.ts';
import { type ApiDeps } from '../deps.ts';
import { findWorkflow } from '../../executions/find-workflow.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { historyQuery } from '../schemas.ts';
import { requireExecution } from './get-execution.ts';

/**
 * `GET /workflows/{name}/executions/{id}/history?limit=&nextToken=&order=`: one page of the execution's
 * Step Functions events, as GetExecutionHistory gives them.
 */
export async function getExecutionHistory(deps: ApiDeps, workflowName: string, executionId: string, query: unknown): Promise<ApiResult> {
  findWorkflow(deps, workflowName);
  const { limit, nextToken, order } = parseRequest(historyQuery, query ?? {}, 'query');
  const record = await requireExecution(deps.store, workflowName, executionId);
  if (!deps.history) throw new HttpError(501, 'not_implemented', 'this API is built without access to execution histories');
  const page = await deps.history.page(record.executionArn, { limit, nextToken, reverse: order === 'newest' });
  if (!page) throw new NotFound(`Step Functions has no execution "${executionId}"`, { code: 'unknown_execution' });
  return { statusCode: 200, body: { events: page.events, ...(page.nextToken ? { nextToken: page.nextToken } : {}) } };
}
