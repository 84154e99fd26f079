import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalEventBus } from '../../../local/scheduling/event-bus.ts';
import { LocalScheduler } from '../../../local/scheduling/local-scheduler.ts';
import { LocalSchedulerService } from '../../../local/scheduling/scheduler-service.ts';
import { FakeClock } from './fake-clock.ts';

/** A data folder path taken by a file, so writing under it fails until the file is removed. */
function blockedDataDir(): string {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'stepflow-save-')), 'data');
  writeFileSync(dataDir, 'not a folder');
  return dataDir;
}

describe('saves to disk', () => {
  it('Scheduler: a failed write of schedules.json is reported and the writes after it still happen', async () => {
    // GIVEN a Scheduler whose data folder cannot be written at first
    const dataDir = blockedDataDir();
    const clock = new FakeClock(new Date('2026-05-01T00:00:00Z'));
    const errors: string[] = [];
    const scheduler = new LocalScheduler({ clock, dispatch: async () => ({ status: 'started' }) });
    const service = new LocalSchedulerService({ scheduler, dataDir, now: () => clock.now(), invoke: async () => ({ status: 'started' }), onError: (message) => errors.push(message) });
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

  it('EventBridge: a failed write of rules.json is reported and the writes after it still happen', async () => {
    // GIVEN a bus whose data folder cannot be written at first
    const dataDir = blockedDataDir();
    const errors: string[] = [];
    const bus = new LocalEventBus({ dataDir, clock: new FakeClock(0), invoke: async () => undefined, onError: (message) => errors.push(message) });

    // WHEN one write fails, the folder is then freed and another rule is put
    bus.putRule({ Name: 'first', EventPattern: '{"source":["a"]}' });
    await bus.flush();
    expect(errors).toHaveLength(1);
    rmSync(dataDir);
    bus.putRule({ Name: 'second', EventPattern: '{"source":["b"]}' });
    await bus.flush();

    // THEN the later write happened, with both rules
    const saved = JSON.parse(readFileSync(join(dataDir, 'rules.json'), 'utf8')) as { rules: { Name: string }[] };
    expect(saved.rules.map((r) => r.Name)).toEqual(['first', 'second']);
    await bus.stop();
  });
});
