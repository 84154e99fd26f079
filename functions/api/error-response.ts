import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { HttpError } from '../../core/errors.ts';
import { errorFields, type Logger } from '../shared/logger.ts';
import { toProxyResult } from './response.ts';

/**
 * The API's one error mapping: every failure becomes `{ error: { code, message, details? } }`.
 * HttpErrors keep their status; anything else is a 500 with a generic message, and the error (with its
 * stack) goes to the log only.
 */
export function errorResponse(logger: Logger): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      const error = request.error;
      if (error instanceof HttpError) {
        request.response = toProxyResult({
          statusCode: error.statusCode,
          headers: error.headers,
          body: { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } },
        });
        return;
      }
      logger('error', 'unhandled error in API request', {
        ...errorFields(error),
        method: request.event?.httpMethod,
        path: request.event?.path,
        requestId: request.event?.requestContext?.requestId,
      });
      request.response = toProxyResult({
        statusCode: 500,
        body: { error: { code: 'internal_error', message: 'Internal server error' } },
      });
    },
  };
}
