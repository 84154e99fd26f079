import { type ApiDeps } from '../deps.ts';
import { findWorkflow } from '../../executions/find-workflow.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { listQuery } from '../schemas.ts';

/** `GET /workflows/{name}/executions?status=&limit=&nextToken=`: newest first, one page. */
export async function listExecutions(deps: ApiDeps, workflowName: string, query: unknown): Promise<ApiResult> {
  findWorkflow(deps, workflowName);
  const options = parseRequest(listQuery, query ?? {}, 'query');
  const page = await deps.store.list(workflowName, options);
  return { statusCode: 200, body: { items: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) } };
}
