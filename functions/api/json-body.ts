import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequest, PayloadTooLarge } from '../../core/errors.ts';
import { MAX_PAYLOAD_BYTES } from '../../core/asl/limits.ts';

/** A proxy event whose body has been parsed: any JSON value, or undefined when there was none. */
export type JsonProxyEvent = Omit<APIGatewayProxyEvent, 'body'> & { body: unknown };

export interface JsonBodyOptions {
  /** Largest raw body accepted, in bytes. @default 262144 (the Step Functions payload limit) */
  readonly maxBytes?: number;
}

/**
 * Checks the raw body's size first (a huge body is refused without being parsed), then parses it as
 * JSON. Too large → PayloadTooLarge (413); not JSON → BadRequest (400, `malformed_json`).
 */
export function jsonBody(options: JsonBodyOptions = {}): MiddlewareObj<APIGatewayProxyEvent> {
  const maxBytes = options.maxBytes ?? MAX_PAYLOAD_BYTES;
  return {
    before: (request) => {
      const event = request.event as unknown as JsonProxyEvent;
      const body = request.event.body;
      if (body === null || body === undefined || body === '') {
        event.body = undefined;
        return;
      }
      const raw = request.event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
      if (raw.byteLength > maxBytes) {
        throw new PayloadTooLarge(`request body is ${raw.byteLength} bytes; the limit is ${maxBytes}`);
      }
      try {
        event.body = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        throw new BadRequest(`request body is not valid JSON: ${(error as Error).message}`, { code: 'malformed_json' });
      }
    },
  };
}
