import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { MethodNotAllowed, NotFound } from '../../core/errors.ts';
import type { JsonProxyEvent } from './json-body.ts';
import { toProxyResult, type ApiResult } from './response.ts';

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** With `{param}` segments, as @middy/http-router takes them. */
  readonly path: string;
  readonly run: (event: JsonProxyEvent) => Promise<ApiResult> | ApiResult;
}

/**
 * Routes with @middy/http-router. A path that some route matches under another method is a 405 with
 * `Allow`; any other is a 404.
 */
export function routeRequests(routes: readonly ApiRoute[]) {
  const patterns = routes.map((route) => ({ method: route.method, pattern: pathPattern(route.path) }));
  return httpRouterHandler<APIGatewayProxyEvent, APIGatewayProxyResult>({
    routes: routes.map((route) => ({
      method: route.method,
      path: route.path,
      handler: async (event: APIGatewayProxyEvent) => toProxyResult(await route.run(event as unknown as JsonProxyEvent)),
    })),
    notFoundResponse: ({ method, path }) => {
      const allowed = [...new Set(patterns.filter((p) => p.pattern.test(path)).map((p) => p.method))];
      if (allowed.length > 0) {
        throw new MethodNotAllowed(`${method} is not allowed on ${path}; use ${allowed.join(', ')}`, {
          headers: { Allow: allowed.join(', ') },
        });
      }
      throw new NotFound(`no route for ${method} ${path}`, { code: 'unknown_route' });
    },
  });
}

/** The same matching @middy/http-router does: `{param}` is one segment, a trailing slash is optional. */
function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^/}]+\\?\}/g, '[^/]+');
  return new RegExp(`^${escaped}/?$`);
}
