import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalScheduler, type DispatchResult, type FireRecord, type LocalFire } from '../../../local/scheduling/local-scheduler.ts';
import { startDynalite, type LocalDynamo } from '../../support/dynalite.ts';
import { createSchedulingStores } from '../../support/scheduling-stores.ts';
import { FakeClock } from '../../support/fake-clock.ts';

/** A scheduler on a fake clock whose dispatch only records the fires it gets. */
function recordingScheduler(clock: FakeClock, dispatch?: (fire: LocalFire) => Promise<DispatchResult>) {
  const fires: LocalFire[] = [];
  const records: FireRecord[] = [];
  const scheduler = new LocalScheduler({
    clock,
    dispatch: async (fire) => {
      fires.push(fire);
      return dispatch ? dispatch(fire) : { status: 'started' };
    },
  });
  scheduler.on('fire', (record) => records.push(record));
  return { scheduler, fires, records };
}

const iso = (fires: readonly LocalFire[]) => fires.map((f) => f.scheduledTime.toISOString());

describe('LocalScheduler', () => {
  it('fires a Europe/Paris cron at its local time across both DST changes: skipped in spring, once in autumn', async () => {
    // GIVEN cron(30 2 * * ? *) in Europe/Paris: 02:30 does not exist on 2026-03-29 and happens twice on 2026-10-25
    const clock = new FakeClock(new Date('2026-03-27T12:00:00Z'));
    const { scheduler, fires } = recordingScheduler(clock);
    scheduler.upsert({ id: 'backup.nightly', workflow: 'backup', expression: 'cron(30 2 * * ? *)', timezone: 'Europe/Paris' });

    // WHEN the clock runs through the spring change
    clock.advanceTo(new Date('2026-03-31T12:00:00Z'));
    await scheduler.idle();

    // THEN 02:30 CET (01:30Z) on the 28th, nothing on the 29th, 02:30 CEST (00:30Z) after
    expect(iso(fires)).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
    // AND each fire happened at its instant (the timer was armed for it, not polled)
    expect(fires.every((f) => f.firedAt === f.scheduledTime.getTime())).toBe(true);

    // WHEN the clock runs through the autumn change
    clock.advanceTo(new Date('2026-10-24T12:00:00Z'));
    await scheduler.idle();
    fires.length = 0;
    clock.advanceTo(new Date('2026-10-26T12:00:00Z'));
    await scheduler.idle();

    // THEN 02:30 on the 25th fires once, at its first occurrence (00:30Z, still CEST)
    expect(iso(fires)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    await scheduler.stop();
  });

  it('keeps one timer per schedule and re-arms from the instant fired, so a late fire does not shift the next one', async () => {
    // GIVEN a rate(1 minute) schedule started at a whole minute
    const start = new Date('2026-01-01T00:00:00Z');
    const clock = new FakeClock(start);
    const { scheduler, fires, records } = recordingScheduler(clock);
    scheduler.upsert({ id: 'w.every_minute', workflow: 'w', expression: 'rate(1 minute)', start });
    expect(clock.pendingCount).toBe(1);

    // WHEN the first fire is reached 5 s late (a blocked event loop)
    clock.advanceTo(start.getTime() + 65_000);
    await scheduler.idle();

    // THEN it fires (late, with its lateness recorded) and the next is still due at 00:02:00, not 00:02:05
    expect(iso(fires)).toEqual(['2026-01-01T00:01:00.000Z']);
    expect(records[0]).toMatchObject({ scheduleId: 'w.every_minute', status: 'started', latenessMs: 0 });
    expect(scheduler.nextFireTime('w.every_minute')?.toISOString()).toBe('2026-01-01T00:02:00.000Z');
    expect(clock.pendingCount).toBe(1);
    await scheduler.stop();
  });

  it('records an instant reached later than maxLatenessMs as missed instead of firing it', async () => {
    const start = new Date('2026-01-01T00:00:00Z');
    const clock = new FakeClock(start);
    const fires: LocalFire[] = [];
    const records: FireRecord[] = [];
    const scheduler = new LocalScheduler({ clock, maxLatenessMs: 1000, dispatch: async (f) => (fires.push(f), { status: 'started' }) });
    scheduler.on('fire', (r) => records.push(r));
    scheduler.upsert({ id: 'w.m', workflow: 'w', expression: 'rate(1 minute)', start });

    // WHEN the timer callback runs 3 s after its instant (the clock jumped past it before it could run)
    const due = clock.nextDue()!;
    clock.jumpTo(due + 3000);
    clock.advanceTo(due + 3000);
    await scheduler.idle();

    // THEN nothing is dispatched and the fire is recorded missed
    expect(fires).toEqual([]);
    expect(records).toMatchObject([{ status: 'missed', scheduledTime: new Date('2026-01-01T00:01:00Z') }]);
    expect(scheduler.stats()[0]).toMatchObject({ missed: 1, fires: 1 });
    await scheduler.stop();
  });

  it('does not fire disabled schedules', async () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const { scheduler, fires } = recordingScheduler(clock);
    scheduler.upsert({ id: 'w.off', workflow: 'w', expression: 'cron(* * * * ? *)', enabled: false });
    clock.advance(10 * 60_000);
    await scheduler.idle();
    expect(fires).toEqual([]);
    expect(clock.pendingCount).toBe(0);
    expect(scheduler.stats()[0]).toMatchObject({ scheduleId: 'w.off', enabled: false, fires: 0 });
    await scheduler.stop();
  });

  it('fires a one-time at() schedule once, in its time zone, and then holds no timer', async () => {
    const clock = new FakeClock(new Date('2026-06-01T00:00:00Z'));
    const { scheduler, fires } = recordingScheduler(clock);
    scheduler.upsert({ id: 'w.once', workflow: 'w', expression: 'at(2026-06-01T09:00:00)', timezone: 'America/New_York' });
    clock.advance(24 * 3600_000);
    await scheduler.idle();
    expect(iso(fires)).toEqual(['2026-06-01T13:00:00.000Z']);
    expect(clock.pendingCount).toBe(0);
    await scheduler.stop();
  });

  it('never fires an instant again after the schedule is replaced (in-memory guard)', async () => {
    const start = new Date('2026-01-01T00:00:00Z');
    const clock = new FakeClock(start);
    const { scheduler, fires } = recordingScheduler(clock);
    scheduler.upsert({ id: 'w.m', workflow: 'w', expression: 'cron(* * * * ? *)' });
    clock.advanceTo(start.getTime() + 60_000);
    // WHEN the same schedule is upserted again at the very instant it just fired
    scheduler.upsert({ id: 'w.m', workflow: 'w', expression: 'cron(* * * * ? *)' });
    clock.advanceTo(start.getTime() + 120_000);
    await scheduler.idle();
    expect(iso(fires)).toEqual(['2026-01-01T00:01:00.000Z', '2026-01-01T00:02:00.000Z']);
    await scheduler.stop();
  });

  it('stops firing once stopped', async () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const { scheduler, fires } = recordingScheduler(clock);
    scheduler.upsert({ id: 'w.m', workflow: 'w', expression: 'cron(* * * * ? *)' });
    await scheduler.stop();
    clock.advance(5 * 60_000);
    expect(fires).toEqual([]);
  });

  describe('on the store (dynalite)', () => {
    let dynamo: LocalDynamo;
    beforeAll(async () => {
      dynamo = await startDynalite();
    });
    afterAll(async () => {
      await dynamo.close();
    });

    it('never fires an instant twice across a restart: two schedulers on the same data, one claim wins', async () => {
      // GIVEN the store's claimFire as the dispatch of two scheduler instances (the old process and the restarted one)
      const stores = await createSchedulingStores(dynamo.endpoint);
      const start = new Date('2026-01-01T00:00:00Z');
      const claimed: string[] = [];
      const dispatch = async (fire: LocalFire): Promise<DispatchResult> => {
        const won = await stores.schedules.claimFire({ scheduleId: fire.schedule.id, scheduledTime: fire.scheduledTime.toISOString(), actualTime: new Date(fire.firedAt).toISOString() });
        if (!won) return { status: 'duplicate' };
        claimed.push(fire.scheduledTime.toISOString());
        return { status: 'started' };
      };
      const clockA = new FakeClock(start);
      const clockB = new FakeClock(start);
      const a = recordingScheduler(clockA, dispatch);
      const b = recordingScheduler(clockB, dispatch);
      for (const { scheduler } of [a, b]) scheduler.upsert({ id: 'w.minutely', workflow: 'w', expression: 'cron(* * * * ? *)' });

      // WHEN both reach the same three instants
      for (let minute = 1; minute <= 3; minute++) {
        clockA.advanceTo(start.getTime() + minute * 60_000);
        clockB.advanceTo(start.getTime() + minute * 60_000);
        await Promise.all([a.scheduler.idle(), b.scheduler.idle()]);
      }

      // THEN each instant was attempted by both and started once
      expect(a.fires.length + b.fires.length).toBe(6);
      expect(claimed.sort()).toEqual(['2026-01-01T00:01:00.000Z', '2026-01-01T00:02:00.000Z', '2026-01-01T00:03:00.000Z']);
      const duplicates = [...a.records, ...b.records].filter((r) => r.status === 'duplicate');
      expect(duplicates).toHaveLength(3);
      await a.scheduler.stop();
      await b.scheduler.stop();
    });
  });
});
