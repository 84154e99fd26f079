import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpApi, type HttpApiServer } from '../../local/http-adapter.ts';

const servers: HttpApiServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

describe('http adapter', () => {
  it('turns a request into an API Gateway REST proxy event and writes the handler result back', async () => {
    // GIVEN a handler that records its event
    const seen: APIGatewayProxyEvent[] = [];
    const api = await startHttpApi({
      handler: async (event) => {
        seen.push(event);
        return { statusCode: 201, headers: { 'Content-Type': 'application/json', 'X-Trace': 'abc' }, body: JSON.stringify({ ok: true }) };
      },
    });
    servers.push(api);

    // WHEN a request comes in
    const response = await fetch(`${api.url}/workflows/orders/executions?tag=a&tag=b&limit=5`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Custom': 'yes' },
      body: JSON.stringify({ input: { orderId: 1 } }),
    });

    // THEN the handler got a proxy event and the client the handler's response
    expect(response.status).toBe(201);
    expect(response.headers.get('x-trace')).toBe('abc');
    expect(await response.json()).toEqual({ ok: true });
    const event = seen[0];
    expect(event).toMatchObject({
      resource: '/{proxy+}',
      path: '/workflows/orders/executions',
      httpMethod: 'POST',
      queryStringParameters: { tag: 'b', limit: '5' },
      multiValueQueryStringParameters: { tag: ['a', 'b'], limit: ['5'] },
      pathParameters: null,
      body: '{"input":{"orderId":1}}',
      isBase64Encoded: false,
      requestContext: { httpMethod: 'POST', stage: 'local', path: '/local/workflows/orders/executions', identity: { sourceIp: '127.0.0.1' } },
    });
    expect(event.headers['X-Custom']).toBe('yes');
    expect(event.multiValueHeaders['X-Custom']).toEqual(['yes']);
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a body over the cap with 413 without calling the handler', async () => {
    let called = false;
    const api = await startHttpApi({ handler: async () => ((called = true), { statusCode: 200, body: '' }), maxBodyBytes: 1024 });
    servers.push(api);

    const response = await fetch(`${api.url}/upload`, { method: 'POST', body: 'x'.repeat(4096) });

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: 'payload_too_large', message: 'request body is larger than 1024 bytes' } });
    expect(called).toBe(false);
  });

  it('answers 502 when the handler throws, as API Gateway does', async () => {
    const api = await startHttpApi({ handler: async () => Promise.reject(new Error('boom')), onError: () => undefined });
    servers.push(api);

    const response = await fetch(`${api.url}/anything`);

    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
  });

  it('answers 502 and reports the error when the handler result cannot be written', async () => {
    // GIVEN a handler whose result has a status code node:http refuses
    const errors: unknown[] = [];
    const api = await startHttpApi({ handler: async () => ({ statusCode: 42, body: 'nope' }), onError: (error) => errors.push(error) });
    servers.push(api);

    // WHEN a request comes in
    const response = await fetch(`${api.url}/anything`);

    // THEN the client gets 502 and the failure is reported, not left as an unhandled rejection
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).name).toBe('RangeError');
  });
});
