import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSchedulerServer, type SchedulerServer } from '../../../../local/emulators/scheduler/scheduler-server.ts';
import { LocalScheduler } from '../../../../local/scheduling/local-scheduler.ts';
import { LocalSchedulerService } from '../../../../local/emulators/scheduler/scheduler-service.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const DISPATCHER = 'arn:aws:lambda:us-east-1:000000000000:function:stepflow-dispatcher';
const ROLE = 'arn:aws:iam::000000000000:role/stepflow-scheduler';

describe('Scheduler server', () => {
  const clock = new FakeClock(new Date('2026-05-01T00:00:00Z'));
  const inputs: string[] = [];
  let scheduler: LocalScheduler;
  let server: SchedulerServer;
  let client: SchedulerClient;

  beforeAll(async () => {
    let service: LocalSchedulerService;
    scheduler = new LocalScheduler({ clock, dispatch: (fire) => service.fire(fire) });
    service = new LocalSchedulerService({
      scheduler,
      groups: ['stepflow'],
      clock,
      invoke: async (_target, input) => {
        inputs.push(input);
        return { status: 'started' };
      },
    });
    server = await startSchedulerServer({ service, recordCalls: true });
    client = new SchedulerClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    client.destroy();
    await scheduler.stop();
    await server.close();
  });

  const create = (name: string, overrides: Record<string, unknown> = {}) =>
    client.send(
      new CreateScheduleCommand({
        Name: name,
        GroupName: 'stepflow',
        ScheduleExpression: 'cron(0 9 * * ? *)',
        ScheduleExpressionTimezone: 'Europe/Paris',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: DISPATCHER, RoleArn: ROLE, Input: '{"kind":"schedule","scheduleId":"reports.daily","workflow":"reports","scheduledTime":"<aws.scheduler.scheduled-time>"}' },
        ...overrides,
      }),
    );

  it('creates a schedule, answers it on GetSchedule and ListSchedules, and fires it with the scheduled time filled in', async () => {
    const { ScheduleArn } = await create('daily');
    expect(ScheduleArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule/stepflow/daily');

    const got = await client.send(new GetScheduleCommand({ Name: 'daily', GroupName: 'stepflow' }));
    expect(got).toMatchObject({ Name: 'daily', GroupName: 'stepflow', State: 'ENABLED', ScheduleExpression: 'cron(0 9 * * ? *)', ScheduleExpressionTimezone: 'Europe/Paris', Target: { Arn: DISPATCHER } });
    expect(got.CreationDate).toEqual(new Date('2026-05-01T00:00:00Z'));
    const listed = await client.send(new ListSchedulesCommand({ GroupName: 'stepflow' }));
    expect(listed.Schedules?.map((s) => [s.Name, s.Target?.Arn])).toEqual([['daily', DISPATCHER]]);

    // WHEN 09:00 Paris time (07:00Z in summer) comes
    clock.advanceTo(new Date('2026-05-01T07:00:00Z'));
    await scheduler.idle();
    expect(JSON.parse(inputs.at(-1)!)).toEqual({ kind: 'schedule', scheduleId: 'reports.daily', workflow: 'reports', scheduledTime: '2026-05-01T07:00:00Z' });
  });

  it('answers ConflictException (409) for a name taken, ResourceNotFoundException (404) for an unknown one, ValidationException (400) for a bad expression', async () => {
    await expect(create('daily')).rejects.toBeInstanceOf(ConflictException);
    await expect(create('daily', { GroupName: 'nope' })).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new GetScheduleCommand({ Name: 'missing', GroupName: 'stepflow' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    await expect(create('bad', { ScheduleExpression: 'every day' })).rejects.toBeInstanceOf(ValidationException);
    await expect(create('bad', { ScheduleExpressionTimezone: 'Mars/Olympus' })).rejects.toBeInstanceOf(ValidationException);
  });

  it('deletes a schedule: it no longer fires and is no longer found', async () => {
    await create('temp', { ScheduleExpression: 'rate(5 minutes)' });
    await client.send(new DeleteScheduleCommand({ Name: 'temp', GroupName: 'stepflow' }));
    await expect(client.send(new GetScheduleCommand({ Name: 'temp', GroupName: 'stepflow' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DeleteScheduleCommand({ Name: 'temp', GroupName: 'stepflow' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(scheduler.has('scheduler:stepflow/temp')).toBe(false);
  });

  it('answers an injected fault once in place of the operation, and records the calls with their path and query', async () => {
    server.failNext('CreateSchedule', { code: 'ServiceQuotaExceededException', message: 'too many', status: 402 });

    await expect(create('faulted')).rejects.toMatchObject({ name: 'ServiceQuotaExceededException', $metadata: { httpStatusCode: 402 } });
    await create('faulted');
    await client.send(new GetScheduleCommand({ Name: 'faulted', GroupName: 'stepflow' }));

    expect(server.calls.slice(-3).map(({ operation, input, error }) => ({ operation, name: input.Name, group: input.GroupName ?? input.groupName, error }))).toEqual([
      { operation: 'CreateSchedule', name: 'faulted', group: 'stepflow', error: { code: 'ServiceQuotaExceededException', message: 'too many' } },
      { operation: 'CreateSchedule', name: 'faulted', group: 'stepflow', error: undefined },
      { operation: 'GetSchedule', name: 'faulted', group: 'stepflow', error: undefined },
    ]);
    expect(server.calls.at(-2)?.output).toEqual({ ScheduleArn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/stepflow/faulted' });
  });
});
