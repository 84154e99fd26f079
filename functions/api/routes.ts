import type { ApiDeps } from './deps.ts';
import { cancelExecution } from './operations/cancel-execution.ts';
import { createEventRule } from './operations/create-event-rule.ts';
import { createSchedule } from './operations/create-schedule.ts';
import { deleteEventRule } from './operations/delete-event-rule.ts';
import { deleteSchedule } from './operations/delete-schedule.ts';
import { listEventRules } from './operations/list-event-rules.ts';
import { getFlag } from './operations/get-flag.ts';
import { getSchedule } from './operations/get-schedule.ts';
import { listSchedules } from './operations/list-schedules.ts';
import { publishEvent } from './operations/publish-event.ts';
import { redriveExecution } from './operations/redrive-execution.ts';
import { setFlag } from './operations/set-flag.ts';
import { getExecution } from './operations/get-execution.ts';
import { getExecutionHistory } from './operations/get-execution-history.ts';
import { getExecutionLogs } from './operations/get-execution-logs.ts';
import { listExecutions } from './operations/list-executions.ts';
import { listWorkflows } from './operations/list-workflows.ts';
import { startExecution } from './operations/start-execution.ts';
import { callbackRoutes } from './callback-routes.ts';
import { poolRoutes } from './pool-routes.ts';
import { approvalRoutes } from './approval-routes.ts';
import { parseRequest } from './request.ts';
import { serviceRoutes } from './service-routes.ts';
import type { ApiRoute } from './router.ts';
import { deleteEventRuleQuery, eventRulePath, executionPath, flagPath, schedulePath, workflowPath } from './schemas.ts';

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
      method: 'GET',
      path: '/workflows/{name}/executions/{id}/history',
      run: (event) => {
        const { name, id } = parseRequest(executionPath, event.pathParameters, 'path');
        return getExecutionHistory(deps, name, id, event.queryStringParameters);
      },
    },
    {
      method: 'GET',
      path: '/workflows/{name}/executions/{id}/logs',
      run: (event) => {
        const { name, id } = parseRequest(executionPath, event.pathParameters, 'path');
        return getExecutionLogs(deps, name, id);
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
    {
      method: 'POST',
      path: '/workflows/{name}/executions/{id}/redrive',
      run: (event) => {
        const { name, id } = parseRequest(executionPath, event.pathParameters, 'path');
        return redriveExecution(deps, name, id);
      },
    },
    { method: 'POST', path: '/schedules', run: (event) => createSchedule(deps, event.body) },
    { method: 'GET', path: '/schedules', run: (event) => listSchedules(deps, event.queryStringParameters) },
    {
      method: 'GET',
      path: '/schedules/{id}',
      run: (event) => getSchedule(deps, parseRequest(schedulePath, event.pathParameters, 'path').id),
    },
    {
      method: 'DELETE',
      path: '/schedules/{id}',
      run: (event) => deleteSchedule(deps, parseRequest(schedulePath, event.pathParameters, 'path').id),
    },
    { method: 'POST', path: '/events', run: (event) => publishEvent(deps, event.body) },
    {
      method: 'PUT',
      path: '/flags/{name}',
      run: (event) => setFlag(deps, parseRequest(flagPath, event.pathParameters, 'path').name, event.body),
    },
    {
      method: 'GET',
      path: '/flags/{name}',
      run: (event) => getFlag(deps, parseRequest(flagPath, event.pathParameters, 'path').name),
    },
    { method: 'POST', path: '/event-rules', run: (event) => createEventRule(deps, event.body) },
    { method: 'GET', path: '/event-rules', run: () => listEventRules(deps) },
    ...callbackRoutes(deps),
    ...approvalRoutes(deps),
    {
      method: 'DELETE',
      path: '/event-rules/{name}',
      run: (event) =>
        deleteEventRule(deps, parseRequest(eventRulePath, event.pathParameters, 'path').name, parseRequest(deleteEventRuleQuery, event.queryStringParameters ?? {}, 'query').bus),
    },
    ...serviceRoutes(deps),
    ...poolRoutes(deps),
  ];
}
