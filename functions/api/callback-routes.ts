import type { ApiDeps } from './deps.ts';
import { answerCallback, callbackHeartbeat, callbackPath } from './operations/answer-callback.ts';
import { parseRequest } from './request.ts';
import type { ApiRoute } from './router.ts';

/** Answers to callback tasks: `POST /callbacks/{token}` and its heartbeat. */
export function callbackRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    {
      method: 'POST',
      path: '/callbacks/{token}',
      run: (event) => answerCallback(deps, parseRequest(callbackPath, event.pathParameters, 'path').token, event.body),
    },
    {
      method: 'POST',
      path: '/callbacks/{token}/heartbeat',
      run: (event) => callbackHeartbeat(deps, parseRequest(callbackPath, event.pathParameters, 'path').token),
    },
  ];
}
