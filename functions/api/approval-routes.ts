import type { ApiDeps } from './deps.ts';
import { approvalPath, decideApproval, listApprovals } from './operations/decide-approval.ts';
import { parseRequest } from './request.ts';
import type { ApiRoute } from './router.ts';

/** Approval tasks: `GET /approvals` and `POST /approvals/{id}` (an id, not the ~1 KB task token). */
export function approvalRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    { method: 'GET', path: '/approvals', run: (event) => listApprovals(deps, event.queryStringParameters) },
    {
      method: 'POST',
      path: '/approvals/{id}',
      run: (event) => decideApproval(deps, parseRequest(approvalPath, event.pathParameters, 'path').id, event.body),
    },
  ];
}
