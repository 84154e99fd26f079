import type { ApiDeps } from './deps.ts';
import { cancelExecution } from './operations/cancel-execution.ts';
import { getExecution } from './operations/get-execution.ts';
import { listExecutions } from './operations/list-executions.ts';
import { listWorkflows } from './operations/list-workflows.ts';
import { startExecution } from './operations/start-execution.ts';
import { parseRequest } from './request.ts';
import type { ApiRoute } from './router.ts';
import { executionPath, workflowPath } from './schemas.ts';

/** The REST API: every route and the operation behind it. */
export function apiRoutes(deps: ApiDeps): readonly ApiRoute[] {
  return [
    { method: 'GET', path: '/workflows', run: () => listWorkflows(deps) },
    {
      method: 'POST',
      path: '/workflows/{name}/executions',
      run: (event) => startExecution(deps, parseRequest(workflowPath, event.pathParameters, 'path').name, event.body),
    },
    {
      method: 'GET',
      path: '/workflows/{name}/executions',
      run: (event) =>
        listExecutions(deps, parseRequest(workflowPath, event.pathParameters, 'path').name, event.queryStringParameters),
    },
    {
      method: 'GET',
      path: '/workflows/{name}/executions/{id}',
      run: (event) => {
        const { name, id } = parseRequest(executionPath, event.pathParameters, 'path');
        return getExecution(deps, name, id);
      },
    },
    {
      method: 'POST',
      path: '/workflows/{name}/executions/{id}/cancel',
      run: (event) => {
        const { name, id } = parseRequest(executionPath, event.pathParameters, 'path');
        return cancelExecution(deps, name, id);
      },
    },
  ];
}
