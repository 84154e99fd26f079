import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleRecord } from '../../../core/contracts/schedule-record.ts';
import { SCHEDULING_SETTINGS, startSchedulingApiStack, type SchedulingApiStack } from '../../support/scheduling-api-stack.ts';

describe('scheduling routes', () => {
  let stack: SchedulingApiStack;

  beforeAll(async () => {
    stack = await startSchedulingApiStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  describe('POST /schedules', () => {
    it('GIVEN a Unix cron WHEN created THEN 201 with the next three fire times and a Scheduler schedule targeting the dispatcher', async () => {
      const response = await stack.call('POST', '/schedules', { workflow: 'daily_backup', cron: '0 0 * * *', input: { scope: 'full' }, name: 'nightly_api' });
      expect(response.statusCode).toBe(201);
      expect(response.body).toMatchObject({
        scheduleId: 'daily_backup.nightly_api',
        workflow: 'daily_backup',
        expression: '0 0 * * *',
        timezone: 'UTC',
        origin: 'api',
        nextFireTimes: ['2025-03-02T00:00:00.000Z', '2025-03-03T00:00:00.000Z', '2025-03-04T00:00:00.000Z'],
      });
      const created = stack.schedule('daily_backup.nightly_api')!;
      expect(created).toMatchObject({
        GroupName: 'stepflow',
        ScheduleExpression: 'cron(0 0 * * ? *)',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: SCHEDULING_SETTINGS.dispatcherArn,
          RoleArn: SCHEDULING_SETTINGS.schedulerRoleArn,
          DeadLetterConfig: { Arn: SCHEDULING_SETTINGS.deadLetterArn },
          RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
        },
      });
      expect(JSON.parse(created.Target.Input.replace('<aws.scheduler.scheduled-time>', '2025-03-02T00:00:00Z'))).toEqual({
        kind: 'schedule',
        scheduleId: 'daily_backup.nightly_api',
        workflow: 'daily_backup',
        input: { scope: 'full' },
        scheduledTime: '2025-03-02T00:00:00Z',
      });
      expect(await stack.stores.schedules.get('daily_backup.nightly_api')).toMatchObject({ origin: 'api', input: { scope: 'full' } });
    });

    it('GIVEN a rate, a zoned cron and an at() WHEN created THEN their fire times are computed from the clock', async () => {
      const rate = await stack.call('POST', '/schedules', { workflow: 'reports', rate: '5 minutes' });
      expect(rate.body.nextFireTimes).toEqual(['2025-03-01T10:22:30.000Z', '2025-03-01T10:27:30.000Z', '2025-03-01T10:32:30.000Z']);
      expect(rate.body.scheduleId).toMatch(/^reports\.id-\d+$/);
      const zoned = await stack.call('POST', '/schedules', { workflow: 'reports', cron: 'cron(15 * * * ? *)', timezone: 'Europe/Paris' });
      expect(zoned.body.nextFireTimes).toEqual(['2025-03-01T11:15:00.000Z', '2025-03-01T12:15:00.000Z', '2025-03-01T13:15:00.000Z']);
      const once = await stack.call('POST', '/schedules', { workflow: 'reports', at: '2025-03-01T12:00:00', timezone: 'Europe/Paris' });
      expect(once.body.nextFireTimes).toEqual(['2025-03-01T11:00:00.000Z']);
      expect(stack.schedule(once.body.scheduleId)).toMatchObject({ ScheduleExpression: 'at(2025-03-01T12:00:00)', ScheduleExpressionTimezone: 'Europe/Paris' });
    });

    it('GIVEN a bad expression, an unknown time zone or a rate under a minute THEN 400 listing the problems', async () => {
      const bad = await stack.call('POST', '/schedules', { workflow: 'reports', cron: '61 * * * *', timezone: 'Mars/Olympus' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body.error.code).toBe('invalid_schedule');
      expect(bad.body.error.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ code: 'unknown_time_zone' }), expect.objectContaining({ message: expect.stringContaining('61') })]),
      );
      const fast = await stack.call('POST', '/schedules', { workflow: 'reports', rate: '30 seconds' });
      expect(fast).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_schedule' } } });
      const past = await stack.call('POST', '/schedules', { workflow: 'reports', at: '2020-01-01T00:00:00' });
      expect(past).toMatchObject({ statusCode: 400, body: { error: { details: [{ code: 'at_in_past' }] } } });
      const two = await stack.call('POST', '/schedules', { workflow: 'reports', cron: '0 0 * * *', rate: '5 minutes' });
      expect(two).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_request' } } });
    });

    it('GIVEN an unknown workflow THEN 404', async () => {
      expect(await stack.call('POST', '/schedules', { workflow: 'nope', cron: '0 0 * * *' })).toMatchObject({ statusCode: 404, body: { error: { code: 'unknown_workflow' } } });
    });

    it('GIVEN a workflow at its max_jobs THEN 409 naming the limit, and no Scheduler schedule', async () => {
      await stack.call('POST', '/schedules', { workflow: 'capped', rate: '1 hour', name: 'one' });
      await stack.call('POST', '/schedules', { workflow: 'capped', rate: '1 hour', name: 'two' });
      const third = await stack.call('POST', '/schedules', { workflow: 'capped', rate: '1 hour', name: 'three' });
      expect(third.statusCode).toBe(409);
      expect(third.body.error).toMatchObject({ code: 'max_jobs_reached', message: expect.stringContaining('max_jobs limit is 2') });
      expect(stack.schedule('capped.three')).toBeUndefined();
      expect(stack.schedulerServer.calls.filter((c) => c.operation === 'CreateSchedule').map((c) => c.input.Name)).not.toContain('capped.three');
    });

    it('GIVEN a declared schedule known only from the registry THEN it counts against max_jobs', async () => {
      expect((await stack.call('POST', '/schedules', { workflow: 'deployed', rate: '1 hour', name: 'one' })).statusCode).toBe(201);
      const second = await stack.call('POST', '/schedules', { workflow: 'deployed', rate: '1 hour', name: 'two' });
      expect(second).toMatchObject({ statusCode: 409, body: { error: { code: 'max_jobs_reached', message: expect.stringContaining('has 2 schedules') } } });
    });

    it('GIVEN a name in use THEN 409 schedule_exists', async () => {
      await stack.call('POST', '/schedules', { workflow: 'reports', rate: '1 hour', name: 'twice' });
      expect(await stack.call('POST', '/schedules', { workflow: 'reports', rate: '1 hour', name: 'twice' })).toMatchObject({
        statusCode: 409,
        body: { error: { code: 'schedule_exists' } },
      });
    });
  });

  describe('GET and DELETE /schedules', () => {
    it('GIVEN schedules WHEN listed by workflow THEN only that workflow is listed, with the next fire time', async () => {
      await stack.call('POST', '/schedules', { workflow: 'orders', cron: '30 12 * * *', name: 'noon', input: { orderId: 'o', amount: 1 } });
      const response = await stack.call('GET', '/schedules?workflow=orders');
      expect(response.statusCode).toBe(200);
      expect(response.body.items).toEqual([expect.objectContaining({ scheduleId: 'orders.noon', nextFireTime: '2025-03-01T12:30:00.000Z' })]);
    });

    it('GIVEN a schedule with fires WHEN read THEN the record, its fires with lateness and the next fire times', async () => {
      await stack.call('POST', '/schedules', { workflow: 'reports', cron: '0 * * * *', name: 'hourly' });
      await stack.stores.schedules.recordFire({
        scheduleId: 'reports.hourly', scheduledTime: '2025-03-01T10:00:00.000Z', actualTime: '2025-03-01T10:00:00.800Z', latenessMs: 800, outcome: 'started', executionId: 'x',
      });
      const response = await stack.call('GET', '/schedules/reports.hourly');
      expect(response.body).toMatchObject({
        scheduleId: 'reports.hourly',
        fires: [{ scheduledTime: '2025-03-01T10:00:00.000Z', latenessMs: 800, outcome: 'started', executionId: 'x' }],
        nextFireTimes: ['2025-03-01T11:00:00.000Z', '2025-03-01T12:00:00.000Z', '2025-03-01T13:00:00.000Z'],
      });
      expect((await stack.call('GET', '/schedules/reports.none')).statusCode).toBe(404);
    });

    it('GIVEN an API schedule WHEN deleted THEN the Scheduler schedule and the record go', async () => {
      await stack.call('POST', '/schedules', { workflow: 'reports', rate: '1 day', name: 'temporary' });
      expect(await stack.call('DELETE', '/schedules/reports.temporary')).toMatchObject({ statusCode: 200, body: { deleted: true } });
      expect(stack.schedule('reports.temporary')).toBeUndefined();
      expect((await stack.call('GET', '/schedules/reports.temporary')).statusCode).toBe(404);
      expect((await stack.call('DELETE', '/schedules/reports.temporary')).statusCode).toBe(404);
    });

    it('GIVEN a declared schedule WHEN deleted THEN 409 naming its definition file', async () => {
      const declared: ScheduleRecord = {
        scheduleId: 'daily_backup.nightly', workflow: 'daily_backup', expression: '0 0 * * *', timezone: 'UTC', input: {}, enabled: true,
        origin: 'declared', source: 'definitions/nightly-backup.yaml', createdAt: '2025-01-01T00:00:00.000Z',
      };
      await stack.stores.schedules.put(declared);
      const response = await stack.call('DELETE', '/schedules/daily_backup.nightly');
      expect(response).toMatchObject({
        statusCode: 409,
        body: { error: { code: 'declared_schedule', message: 'schedule "daily_backup.nightly" is declared in definitions/nightly-backup.yaml; remove it from the definition' } },
      });
    });
  });

  describe('DELETE of a schedule deployed with the stack', () => {
    it('GIVEN a declared schedule absent from the store (as on AWS) WHEN deleted THEN 409, not 404', async () => {
      expect(await stack.call('DELETE', '/schedules/deployed.nightly')).toMatchObject({
        statusCode: 409,
        body: { error: { code: 'declared_schedule', message: 'schedule "deployed.nightly" is declared in the definition of workflow "deployed"; remove it from the definition' } },
      });
    });
  });

  describe('POST /events', () => {
    it('GIVEN an event WHEN published THEN 202 with the event id, on the project bus', async () => {
      const response = await stack.call('POST', '/events', { source: 'shop.orders', detailType: 'OrderPlaced', detail: { amount: 5 } });
      const put = stack.eventBridge.calls.findLast((c) => c.operation === 'PutEvents')!;
      expect(put.input.Entries).toEqual([{ Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{"amount":5}', EventBusName: 'stepflow-bus' }]);
      expect(response).toEqual(expect.objectContaining({ statusCode: 202, body: { eventId: (put.output as { Entries: { EventId: string }[] }).Entries[0].EventId } }));
    });

    it('GIVEN EventBridge refuses the entry THEN 502 with its reason', async () => {
      stack.bus.failNextEntry('InternalFailure', 'try later');
      const response = await stack.call('POST', '/events', { source: 'shop.orders', detailType: 'OrderPlaced', detail: {} });
      expect(response).toMatchObject({ statusCode: 502, body: { error: { code: 'event_rejected', message: 'EventBridge refused the event: InternalFailure: try later' } } });
    });

    it('GIVEN a bus the API may not publish to THEN 400 listing the known buses, and nothing is sent', async () => {
      const before = stack.eventBridge.calls.length;
      const response = await stack.call('POST', '/events', { source: 'shop.orders', detailType: 'OrderPlaced', detail: {}, bus: 'someone-elses' });
      expect(response).toMatchObject({
        statusCode: 400,
        body: { error: { code: 'unknown_event_bus', message: expect.stringContaining('stepflow-bus, default'), details: { knownBuses: ['stepflow-bus', 'default'] } } },
      });
      expect(stack.eventBridge.calls.length).toBe(before);
    });

    it('GIVEN a bad body THEN 400 listing the problems', async () => {
      const response = await stack.call('POST', '/events', { source: 'aws.ec2', detail: 'text' });
      expect(response.statusCode).toBe(400);
      expect(response.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['detail', 'detailType', 'source']);
    });

    it('GIVEN the minute cap (sum of max_events) reached THEN 429 with Retry-After', async () => {
      // GIVEN the only max_events is capped's 3: the two publishes above and this one use it up this minute
      expect((await stack.call('POST', '/events', { source: 'shop.orders', detailType: 'OrderPlaced', detail: {} })).statusCode).toBe(202);
      const response = await stack.call('POST', '/events', { source: 'shop.orders', detailType: 'OrderPlaced', detail: {} });
      expect(response.statusCode).toBe(429);
      expect(response.headers['Retry-After']).toBe('30');
      expect(response.body.error.code).toBe('too_many_events');
    });
  });

  describe('flags', () => {
    it('GIVEN a flag set WHEN read THEN its value; a flag never set is 404; a bad value is 400', async () => {
      expect(await stack.call('PUT', '/flags/backups_enabled', { value: true })).toMatchObject({ statusCode: 200, body: { name: 'backups_enabled', value: true } });
      expect(await stack.call('GET', '/flags/backups_enabled')).toMatchObject({ statusCode: 200, body: { value: true, updatedAt: SCHEDULING_NOW_ISO } });
      expect((await stack.call('GET', '/flags/never')).statusCode).toBe(404);
      expect((await stack.call('PUT', '/flags/x', { value: { nested: 1 } })).statusCode).toBe(400);
      expect((await stack.call('PUT', '/flags/bad%20name', { value: 1 })).statusCode).toBe(400);
    });
  });

  describe('event rules', () => {
    it('GIVEN a valid pattern WHEN a rule is created THEN the rule targets the dispatcher with the whole event', async () => {
      const pattern = { source: ['shop.orders'], detail: { amount: [{ numeric: ['>', 100] }] } };
      const response = await stack.call('POST', '/event-rules', { workflow: 'reports', pattern, name: 'big_orders', input: { kind: 'path', path: '$.detail' } });
      expect(response).toMatchObject({ statusCode: 201, body: { name: 'stepflow-reports.big_orders', bus: 'stepflow-bus' } });
      const rule = stack.rule('stepflow-reports.big_orders')!;
      expect(JSON.parse(String(rule.rule.EventPattern))).toEqual(pattern);
      expect(rule.targets).toEqual([
        {
          Id: 'dispatcher',
          Arn: SCHEDULING_SETTINGS.dispatcherArn,
          InputTransformer: {
            InputPathsMap: {},
            InputTemplate: '{"kind":"event","trigger":"big_orders","workflow":"reports","eventInput":{"kind":"path","path":"$.detail"},"event":<aws.events.event.json>}',
          },
          // As declared triggers' targets retry, and to the configured dead-letter queue
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: SCHEDULING_SETTINGS.deadLetterArn },
        },
      ]);
    });

    it('GIVEN a bus other than the project bus THEN 400 listing the known buses, and no rule is created', async () => {
      const response = await stack.call('POST', '/event-rules', { workflow: 'reports', pattern: { source: ['x'] }, name: 'elsewhere', bus: 'default' });
      expect(response).toMatchObject({ statusCode: 400, body: { error: { code: 'unknown_event_bus', details: { knownBuses: ['stepflow-bus'] } } } });
      expect(stack.eventBridge.calls.some((c) => c.operation === 'PutRule' && (c.input as { Name?: string }).Name === 'stepflow-reports.elsewhere')).toBe(false);
      expect((await stack.call('DELETE', '/event-rules/stepflow-reports.elsewhere?bus=default')).statusCode).toBe(400);
    });

    it('GIVEN the project bus by ARN THEN the rule is created on it', async () => {
      const arn = 'arn:aws:events:us-east-1:123456789012:event-bus/stepflow-bus';
      const response = await stack.call('POST', '/event-rules', { workflow: 'reports', pattern: { source: ['x'] }, name: 'by_arn', bus: arn });
      expect(response).toMatchObject({ statusCode: 201, body: { bus: arn } });
      expect(stack.eventBridge.calls.findLast((c) => c.operation === 'PutRule')!.input).toMatchObject({ Name: 'stepflow-reports.by_arn', EventBusName: arn });
    });

    it('GIVEN an invalid pattern THEN 400 listing every problem', async () => {
      const response = await stack.call('POST', '/event-rules', { workflow: 'reports', pattern: { source: 'not-a-list', detail: { n: [{ numeric: ['>'] }] } } });
      expect(response.statusCode).toBe(400);
      expect(response.body.error.code).toBe('invalid_event_pattern');
      expect(response.body.error.details.length).toBeGreaterThanOrEqual(2);
    });

    it('GIVEN an unknown workflow THEN 404', async () => {
      expect((await stack.call('POST', '/event-rules', { workflow: 'nope', pattern: { source: ['x'] } })).statusCode).toBe(404);
    });

    it('GIVEN a rule name in use WHEN created again THEN 409 and the first rule is kept', async () => {
      expect((await stack.call('POST', '/event-rules', { workflow: 'reports', pattern: { source: ['first'] }, name: 'once' })).statusCode).toBe(201);
      const again = await stack.call('POST', '/event-rules', { workflow: 'reports', pattern: { source: ['second'] }, name: 'once' });
      expect(again).toMatchObject({ statusCode: 409, body: { error: { code: 'event_rule_exists' } } });
    });

    it('GIVEN an API rule WHEN deleted THEN it goes; a declared rule is 409 and an unknown one 404', async () => {
      await stack.call('POST', '/event-rules', { workflow: 'reports', pattern: { source: ['x'] }, name: 'short_lived' });
      expect(await stack.call('DELETE', '/event-rules/stepflow-reports.short_lived')).toMatchObject({ statusCode: 200, body: { deleted: true } });
      expect(stack.rule('stepflow-reports.short_lived')).toBeUndefined();
      // GIVEN a rule deployed with the stack for a declared trigger
      stack.bus.putRule({ Name: 'orders.order_placed', EventBusName: 'stepflow-bus', EventPattern: '{"source":["shop.orders"]}', Description: 'orders trigger order_placed' }, { declared: true });
      expect(await stack.call('DELETE', '/event-rules/orders.order_placed')).toMatchObject({ statusCode: 409, body: { error: { code: 'declared_event_rule' } } });
      expect((await stack.call('DELETE', '/event-rules/stepflow-reports.none')).statusCode).toBe(404);
    });
  });
});

const SCHEDULING_NOW_ISO = '2025-03-01T10:17:30.000Z';
