import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceTaskEvent } from '../../../core/contracts/task-event.ts';
import { NonRetriableError, ServiceNotFound, ServiceRejected, ServiceUnavailable } from '../../../core/errors.ts';
import { createServiceInvoker } from '../../../functions/service-invoker/handler.ts';
import { serviceUrlVariable } from '../../../functions/service-invoker/resolve-service.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP service on 127.0.0.1: each path answers differently. */
async function startService(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const path = (req.url ?? '').split('?')[0];
      if (path === '/ok') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"sent":true}');
      if (path === '/text') return res.writeHead(200, { 'content-type': 'text/plain' }).end('queued');
      if (path === '/bad') return res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"no recipient"}');
      if (path === '/busy') return res.writeHead(429).end('slow down');
      if (path === '/down') return res.writeHead(503).end('maintenance');
      if (path === '/slow') return; // never answers
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

function serviceEvent(service: ServiceTaskEvent['service']): ServiceTaskEvent {
  return {
    task: 'notification',
    workflow: 'orders',
    execution: 'arn:aws:states:us-east-1:123456789012:execution:orders:run-1',
    attempt: 0,
    input: { orderId: 'o-1' },
    results: { data_processing: { rows: 3 } },
    service,
  };
}

function declared(url: string, overrides: Partial<NonNullable<ServiceTaskEvent['service']['definition']>> = {}) {
  return { name: 'notification', definition: { name: 'notification', url, method: 'POST' as const, headers: {}, timeoutSeconds: 5, ...overrides } };
}

describe('service invoker', () => {
  let service: Awaited<ReturnType<typeof startService>>;

  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    service.server.closeAllConnections();
    await new Promise<void>((resolve) => service.server.close(() => resolve()));
  });

  it('POSTs the task as JSON and returns the JSON answer', async () => {
    const invoke = createServiceInvoker({ env: {} });
    await expect(invoke(serviceEvent(declared(`${service.url}/ok`)))).resolves.toEqual({ sent: true });
    const request = service.received.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      task: 'notification', workflow: 'orders', execution: 'arn:aws:states:us-east-1:123456789012:execution:orders:run-1',
      input: { orderId: 'o-1' }, results: { data_processing: { rows: 3 } },
    });
  });

  it('sends no body with GET and wraps a non-JSON answer as { status, body }', async () => {
    const invoke = createServiceInvoker({ env: {} });
    await expect(invoke(serviceEvent(declared(`${service.url}/text`, { method: 'GET' })))).resolves.toEqual({ status: 200, body: 'queued' });
    expect(service.received.at(-1)).toMatchObject({ method: 'GET', body: '' });
  });

  it('expands ${VAR} and ${VAR:-default} in the URL and headers from the environment', async () => {
    const invoke = createServiceInvoker({ env: { NOTIFY_HOST: service.url, NOTIFY_TOKEN: 's3cret' } });
    const event = serviceEvent(
      declared('${NOTIFY_HOST}/ok?channel=${NOTIFY_CHANNEL:-email}', { headers: { authorization: 'Bearer ${NOTIFY_TOKEN}' } }),
    );
    await invoke(event);
    expect(service.received.at(-1)).toMatchObject({ url: '/ok?channel=email', headers: { authorization: 'Bearer s3cret' } });
  });

  it('refuses an unset variable without a default as non-retriable', async () => {
    const invoke = createServiceInvoker({ env: {} });
    await expect(invoke(serviceEvent(declared('${NOTIFY_HOST}/ok')))).rejects.toSatisfy(
      (error: Error) => error instanceof NonRetriableError && /NOTIFY_HOST/.test(error.message),
    );
  });

  it('finds an undeclared service through STEPFLOW_SERVICE_<NAME>_URL', async () => {
    expect(serviceUrlVariable('notification-v2')).toBe('STEPFLOW_SERVICE_NOTIFICATION_V2_URL');
    const invoke = createServiceInvoker({ env: { STEPFLOW_SERVICE_NOTIFICATION_URL: `${service.url}/ok` } });
    await expect(invoke(serviceEvent({ name: 'notification' }))).resolves.toEqual({ sent: true });
  });

  it('throws ServiceNotFound when the service is neither declared nor configured', async () => {
    const invoke = createServiceInvoker({ env: {} });
    await expect(invoke(serviceEvent({ name: 'notification' }))).rejects.toSatisfy(
      (error: Error) => error.name === 'ServiceNotFound' && error instanceof ServiceNotFound && /STEPFLOW_SERVICE_NOTIFICATION_URL/.test(error.message),
    );
  });

  it('names a 4xx answer ServiceRejected, with the status and the body', async () => {
    const invoke = createServiceInvoker({ env: {} });
    await expect(invoke(serviceEvent(declared(`${service.url}/bad`)))).rejects.toSatisfy(
      (error: Error) => error instanceof ServiceRejected && error.name === 'ServiceRejected' && error.status === 422 && /no recipient/.test(error.message),
    );
  });

  it.each([
    ['a 5xx answer', '/down', /503/],
    ['a 429 answer', '/busy', /429/],
    ['a refused connection', null, /unreachable/],
  ])('names %s ServiceUnavailable', async (_case, path, message) => {
    const invoke = createServiceInvoker({ env: {} });
    const url = path ? `${service.url}${path}` : 'http://127.0.0.1:1/ok';
    await expect(invoke(serviceEvent(declared(url)))).rejects.toSatisfy(
      (error: Error) => error instanceof ServiceUnavailable && error.name === 'ServiceUnavailable' && message.test(error.message),
    );
  });

  it('names a timeout ServiceUnavailable', async () => {
    const invoke = createServiceInvoker({ env: {} });
    await expect(invoke(serviceEvent(declared(`${service.url}/slow`, { timeoutSeconds: 0.2 })))).rejects.toSatisfy(
      (error: Error) => error instanceof ServiceUnavailable && /timed out after 0.2s/.test(error.message),
    );
  });

  it('refuses an event without a service as non-retriable', async () => {
    const invoke = createServiceInvoker({ env: {} });
    const { service: _omitted, ...withoutService } = serviceEvent({ name: 'x' });
    await expect(invoke(withoutService)).rejects.toBeInstanceOf(NonRetriableError);
  });
});
