import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalScheduler } from '../../../../local/scheduling/local-scheduler.ts';
import { LocalSchedulerService } from '../../../../local/emulators/scheduler/scheduler-service.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

/** A data folder path taken by a file, so writing under it fails until the file is removed. */
function blockedDataDir(): string {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'stepflow-save-')), 'data');
  writeFileSync(dataDir, 'not a folder');
  return dataDir;
}

/** A Scheduler service on its own LocalScheduler and fake clock, recording the scheduled time of each fire. */
function service(clock: FakeClock, dataDir: string) {
  const fired: string[] = [];
  let service: LocalSchedulerService;
  const scheduler = new LocalScheduler({ clock, dispatch: (fire) => service.fire(fire) });
  service = new LocalSchedulerService({
    scheduler,
    dataDir,
    clock,
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

  it('reports a failed write of schedules.json, and the writes after it still happen', async () => {
    // GIVEN a Scheduler whose data folder cannot be written at first
    const dataDir = blockedDataDir();
    const clock = new FakeClock(new Date('2026-05-01T00:00:00Z'));
    const errors: string[] = [];
    const scheduler = new LocalScheduler({ clock, dispatch: async () => ({ status: 'started' }) });
    const service = new LocalSchedulerService({ scheduler, dataDir, clock, invoke: async () => ({ status: 'started' }), onError: (message) => errors.push(message) });
    const create = (Name: string) => service.create({ Name, ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', RoleArn: 'arn:aws:iam::000000000000:role/r' } });

    // WHEN one write fails, the folder is then freed and another schedule is created
    create('first');
    await service.flush();
    expect(errors).toHaveLength(1);
    rmSync(dataDir);
    create('second');
    await service.flush();

    // THEN the later write happened, with both schedules
    const saved = JSON.parse(readFileSync(join(dataDir, 'schedules.json'), 'utf8')) as { Name: string }[];
    expect(saved.map((s) => s.Name)).toEqual(['first', 'second']);
    expect(errors).toHaveLength(1);
    await scheduler.stop();
  });
});
