import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApi, type HttpApiServer } from '../../local/http-adapter.ts';
import { CronTaskScheduler, EventTaskScheduler, StepflowApiError } from '../../client/index.ts';
import { startSchedulingApiStack, type SchedulingApiStack } from '../support/scheduling-api-stack.ts';

describe('CronTaskScheduler and EventTaskScheduler over the HTTP API', () => {
  let stack: SchedulingApiStack;
  let http: HttpApiServer;

  beforeAll(async () => {
    stack = await startSchedulingApiStack();
    http = await startHttpApi({ handler: stack.handler });
  });
  afterAll(async () => {
    await http.close();
    await stack.close();
  });

  it('GIVEN a cron job WHEN scheduled THEN it is listed, readable and can be unscheduled', async () => {
    const scheduler = new CronTaskScheduler({ baseUrl: http.url, timezone: 'UTC', maxJobs: 1000 });
    const jobId = await scheduler.schedule({ cron: '0 0 * * *', task: 'daily_backup', options: { retries: 3, timeout: 3600 }, name: 'nightly_client' });
    expect(jobId).toBe('daily_backup.nightly_client');
    expect((await scheduler.list({ task: 'daily_backup' })).map((job) => job.scheduleId)).toContain(jobId);
    expect(await scheduler.get(jobId)).toMatchObject({
      input: { options: { retries: 3, timeout: 3600 } },
      fires: [],
      nextFireTimes: ['2025-03-02T00:00:00.000Z', '2025-03-03T00:00:00.000Z', '2025-03-04T00:00:00.000Z'],
    });
    await scheduler.unschedule(jobId);
    await expect(scheduler.get(jobId)).rejects.toMatchObject({ status: 404 });
  });

  it('GIVEN a bad expression THEN the error lists the problems', async () => {
    const scheduler = new CronTaskScheduler({ baseUrl: http.url });
    const error = await scheduler.schedule({ cron: '0 0 * *', task: 'reports' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepflowApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_schedule', details: [expect.objectContaining({ message: expect.any(String) })] });
  });

  it('GIVEN maxJobs reached on the client THEN schedule refuses without creating', async () => {
    const existing = (await new CronTaskScheduler({ baseUrl: http.url }).list()).length;
    const scheduler = new CronTaskScheduler({ baseUrl: http.url, maxJobs: existing });
    await expect(scheduler.schedule({ rate: '1 hour', task: 'reports' })).rejects.toMatchObject({ status: 409, code: 'max_jobs_reached' });
  });

  it('GIVEN an event scheduler THEN publish, on and off go through EventBridge', async () => {
    const events = new EventTaskScheduler({ baseUrl: http.url });
    const rule = await events.on({ source: ['shop.orders'] }, 'reports', { name: 'orders_rule', input: { kind: 'path', path: '$.detail' } });
    expect(rule).toBe('stepflow-reports.orders_rule');
    expect(stack.rule(rule)?.targets).toHaveLength(1);
    const eventId = await events.publish({ source: 'shop.orders', detailType: 'OrderPlaced', detail: { id: 1 } });
    expect(eventId).toBe((stack.eventBridge.calls.findLast((c) => c.operation === 'PutEvents')?.output as { Entries: { EventId: string }[] }).Entries[0].EventId);
    await stack.bus.drain();
    expect(stack.deliveries.filter((d) => d.eventId === eventId).map((d) => d.rule)).toEqual([rule]);
    await events.off(rule);
    expect(stack.rule(rule)).toBeUndefined();
    await expect(events.on({ source: 'x' }, 'reports')).rejects.toMatchObject({ status: 400, code: 'invalid_event_pattern' });
  });
});
