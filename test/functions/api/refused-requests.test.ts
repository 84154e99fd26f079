import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyEvent } from '../../support/proxy-event.ts';
import { startSchedulingApiStack, type SchedulingApiStack } from '../../support/scheduling-api-stack.ts';

/** The API answers a request it cannot serve with a 4xx in its error shape, never a 5xx. */
describe('requests the API refuses', () => {
  let stack: SchedulingApiStack;
  beforeAll(async () => {
    stack = await startSchedulingApiStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const raw = async (method: string, path: string, body: string | null) => {
    const response = await stack.handler(proxyEvent(method, path, body, { 'Content-Type': 'application/json' }), {} as never);
    return { statusCode: response.statusCode, body: JSON.parse(response.body) as { error: { code: string; message: string } } };
  };
  const nested = (depth: number) => `{"input":${'['.repeat(depth)}${']'.repeat(depth)}}`;

  it('refuses unknown keys in a start body, as in every other body', async () => {
    const start = await stack.call('POST', '/workflows/orders/executions', { inpt: { orderId: 'o-1', amount: 1 } });
    const schedule = await stack.call('POST', '/schedules', { workflow: 'daily_backup', rate: 'rate(1 day)', inpt: {} });
    expect(start).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_request', details: [{ message: expect.stringContaining('inpt') }] } } });
    expect(schedule).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_request' } } });
  });

  it('refuses an execution id longer than any execution name, on GET and on cancel', async () => {
    const id = 'x'.repeat(5000);
    expect(await stack.call('GET', `/workflows/orders/executions/${id}`)).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_request' } } });
    expect(await stack.call('POST', `/workflows/orders/executions/${id}/cancel`)).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_request' } } });
  });

  it.each([5_000, 50_000])('refuses input nested %i levels deep with 400 too_deep', async (depth) => {
    const response = await raw('POST', '/workflows/orders/executions', nested(depth));
    expect(response).toMatchObject({ statusCode: 400, body: { error: { code: 'too_deep' } } });
  });

  it('refuses a rate longer than 100 years, and a cron that never fires', async () => {
    const long = await stack.call('POST', '/schedules', { workflow: 'daily_backup', rate: 'rate(99999999999999999999 days)' });
    const never = await stack.call('POST', '/schedules', { workflow: 'daily_backup', cron: '0 0 31 2 *' });
    expect(long).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_schedule', details: [{ code: 'rate_too_long' }] } } });
    expect(never).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_schedule', details: [{ code: 'never_fires' }] } } });
  });

  it('refuses unknown query parameters on listings', async () => {
    expect(await stack.call('GET', '/workflows/orders/executions?stauts=RUNNING')).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_request' } } });
    expect(await stack.call('GET', '/schedules?workflw=x')).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_request' } } });
  });
});
