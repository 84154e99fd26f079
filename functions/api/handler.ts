import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createAwsClients } from '../shared/clients.ts';
import { loadConfig } from '../shared/config.ts';
import { defaultApiDeps, type ApiDeps } from './deps.ts';
import { errorResponse } from './error-response.ts';
import { jsonBody } from './json-body.ts';
import { routeRequests } from './router.ts';
import { apiRoutes } from './routes.ts';
import { lambdaEntry } from '../shared/lambda-entry.ts';

/** The REST API (API Gateway REST v1 proxy events) over the given dependencies. */
export function createApiHandler(deps: ApiDeps) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(errorResponse(deps.logger))
    .use(httpHeaderNormalizer())
    .use(jsonBody())
    .handler(routeRequests(apiRoutes(deps)));
}

let lambdaHandler: ReturnType<typeof createApiHandler> | undefined;

/** The Lambda entry point; dependencies are built from the environment on the first request. */
export const handler = lambdaEntry((event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
  if (!lambdaHandler) {
    const config = loadConfig(process.env);
    lambdaHandler = createApiHandler(defaultApiDeps(config, createAwsClients(config.aws)));
  }
  return lambdaHandler(event, context);
});
