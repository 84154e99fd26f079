import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequest, PayloadTooLarge } from '../../core/errors.ts';
import { MAX_PAYLOAD_BYTES } from '../../core/asl/limits.ts';

/** A proxy event whose body has been parsed: any JSON value, or undefined when there was none. */
export type JsonProxyEvent = Omit<APIGatewayProxyEvent, 'body'> & { body: unknown };

export interface JsonBodyOptions {
  /** Largest raw body accepted, in bytes. @default 262144 (the Step Functions payload limit) */
  readonly maxBytes?: number;
  /** Deepest nesting of arrays and objects accepted. @default 64 */
  readonly maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 64;

/**
 * Checks the raw body's size first (a huge body is refused without being parsed), then parses it as
 * JSON. Too large → PayloadTooLarge (413); not JSON → BadRequest (400, `malformed_json`); nested deeper
 * than `maxDepth` → BadRequest (400, `too_deep`).
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
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        throw new BadRequest(`request body is not valid JSON: ${(error as Error).message}`, { code: 'malformed_json' });
      }
      const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
      // Everything after would recurse through it (hashing, schema checks, serialising): refused first.
      if (depthExceeds(parsed, maxDepth)) {
        throw new BadRequest(`request body nests arrays and objects more than ${maxDepth} levels deep`, { code: 'too_deep' });
      }
      event.body = parsed;
    },
  };
}

/** Whether a parsed JSON value nests deeper than `max`, walked without recursion (the value may be 100,000 deep). */
function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
