import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalScheduler } from '../../../local/scheduling/local-scheduler.ts';
import { LocalSchedulerService } from '../../../local/scheduling/scheduler-service.ts';
import { FakeClock } from './fake-clock.ts';

/** A Scheduler service on its own LocalScheduler and fake clock, recording the scheduled time of each fire. */
function service(clock: FakeClock, dataDir: string) {
  const fired: string[] = [];
  let service: LocalSchedulerService;
  const scheduler = new LocalScheduler({ clock, dispatch: (fire) => service.fire(fire) });
  service = new LocalSchedulerService({
    scheduler,
    dataDir,
    now: () => clock.now(),
    invoke: async (_target, _input, fire) => {
      fired.push(fire.scheduledTime.toISOString());
      return { status: 'started' };
    },
  });
  return { scheduler, service, fired };
}

describe('LocalSchedulerService', () => {
  it('counts a rate schedule without StartDate from its creation, across a restart', async () => {
    // GIVEN rate(1 hour) created at 00:00 with no StartDate
    const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-scheduler-'));
    const created = new Date('2026-05-01T00:00:00Z');
    const first = service(new FakeClock(created), dataDir);
    first.service.create({ Name: 'hourly', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', RoleArn: 'arn:aws:iam::000000000000:role/r' } });
    await first.service.flush();
    await first.scheduler.stop();

    // WHEN the process restarts at 01:30 and runs until 03:00
    const clock = new FakeClock(new Date('2026-05-01T01:30:00Z'));
    const second = service(clock, dataDir);
    await second.service.load();
    clock.advanceTo(new Date('2026-05-01T03:00:00Z'));
    await second.scheduler.idle();

    // THEN it fires on the hours counted from the creation, not from the restart
    expect(second.fired).toEqual(['2026-05-01T02:00:00.000Z', '2026-05-01T03:00:00.000Z']);
    await second.scheduler.stop();
  });
});
