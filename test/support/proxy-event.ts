import type { APIGatewayProxyEvent } from 'aws-lambda';

/** A minimal API Gateway REST (v1) proxy event, as API Gateway sends it for `method path?query`. */
export function proxyEvent(
  method: string,
  pathAndQuery: string,
  body?: string | null,
  headers: Record<string, string> = {},
): APIGatewayProxyEvent {
  const url = new URL(pathAndQuery, 'http://localhost');
  const query = Object.fromEntries(url.searchParams.entries());
  const path = decodeURIComponent(url.pathname);
  return {
    httpMethod: method,
    path,
    resource: '/{proxy+}',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(query).length
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    body: body ?? null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      httpMethod: method,
      path: `/local${path}`,
      protocol: 'HTTP/1.1',
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      requestTimeEpoch: 0,
      resourceId: 'local',
      resourcePath: '/{proxy+}',
      stage: 'local',
      identity: {} as APIGatewayProxyEvent['requestContext']['identity'],
      authorizer: undefined,
    },
  };
}
