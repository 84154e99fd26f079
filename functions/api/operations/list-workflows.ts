import type { ApiDeps } from '../deps.ts';
import type { ApiResult } from '../response.ts';

/** `GET /workflows`: the deployed workflows. */
export function listWorkflows(deps: ApiDeps): ApiResult {
  const items = Object.entries(deps.workflows)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, workflow]) => ({ name, mode: workflow.mode, hasInputSchema: workflow.inputSchema !== undefined }));
  return { statusCode: 200, body: { items } };
}
