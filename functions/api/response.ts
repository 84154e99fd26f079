import type { APIGatewayProxyResult } from 'aws-lambda';

/** What an operation answers: a status and a JSON body. */
export interface ApiResult {
  readonly statusCode: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export function toProxyResult(result: ApiResult): APIGatewayProxyResult {
  return {
    statusCode: result.statusCode,
    headers: { 'Content-Type': 'application/json', ...result.headers },
    body: JSON.stringify(result.body),
  };
}
