import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleRecord } from '../../../core/contracts/schedule-record.ts';
import { startDynalite, type LocalDynamo } from '../../support/dynalite.ts';
import { createSchedulingStores, type SchedulingStores } from '../../support/scheduling-stores.ts';

const NIGHTLY: ScheduleRecord = {
  scheduleId: 'daily_backup.nightly',
  workflow: 'daily_backup',
  expression: '0 0 * * *',
  timezone: 'UTC',
  input: { scope: 'full' },
  enabled: true,
  origin: 'declared',
  source: 'definitions/nightly-backup.yaml',
  createdAt: '2025-01-01T00:00:00.000Z',
};

describe('DynamoDbScheduleStore', () => {
  let dynamo: LocalDynamo;
  let stores: SchedulingStores;

  beforeAll(async () => {
    dynamo = await startDynalite();
    stores = await createSchedulingStores(dynamo.endpoint);
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('GIVEN a declared schedule put twice WHEN read THEN the last put wins', async () => {
    await stores.schedules.put(NIGHTLY);
    await stores.schedules.put({ ...NIGHTLY, input: { scope: 'partial' }, condition: { flag: { name: 'backups_enabled' } } });
    expect(await stores.schedules.get(NIGHTLY.scheduleId)).toEqual({
      ...NIGHTLY,
      input: { scope: 'partial' },
      condition: { flag: { name: 'backups_enabled' } },
    });
  });

  it('GIVEN an existing id WHEN created again THEN create answers false and keeps the first', async () => {
    const record = { ...NIGHTLY, scheduleId: 'reports.api-1', workflow: 'reports', origin: 'api' as const, source: undefined };
    expect(await stores.schedules.create(record)).toBe(true);
    expect(await stores.schedules.create({ ...record, expression: 'rate(5 minutes)' })).toBe(false);
    expect((await stores.schedules.get('reports.api-1'))?.expression).toBe('0 0 * * *');
  });

  it('GIVEN schedules of several workflows WHEN listed by workflow THEN only that workflow is listed and counted', async () => {
    const { schedules } = await createSchedulingStores(dynamo.endpoint);
    for (const id of ['a.one', 'a.two', 'ab.one', 'b.one']) {
      await schedules.put({ ...NIGHTLY, scheduleId: id, workflow: id.split('.')[0] });
    }
    expect((await schedules.list({ workflow: 'a' })).map((s) => s.scheduleId)).toEqual(['a.one', 'a.two']);
    expect((await schedules.list()).map((s) => s.scheduleId)).toEqual(['a.one', 'a.two', 'ab.one', 'b.one']);
    expect(await schedules.count('a')).toBe(2);
    expect(await schedules.count('c')).toBe(0);
  });

  it('GIVEN a schedule WHEN deleted twice THEN the first delete reports it and the second does not', async () => {
    await stores.schedules.put({ ...NIGHTLY, scheduleId: 'daily_backup.gone' });
    expect(await stores.schedules.delete('daily_backup.gone')).toBe(true);
    expect(await stores.schedules.delete('daily_backup.gone')).toBe(false);
    expect(await stores.schedules.get('daily_backup.gone')).toBeUndefined();
  });

  describe('claimFire', () => {
    const claim = { scheduleId: 'daily_backup.nightly', scheduledTime: '2025-01-02T00:00:00.000Z', actualTime: '2025-01-02T00:00:01.500Z' };

    it('GIVEN a slot claimed once WHEN claimed again THEN the second claim is refused', async () => {
      expect(await stores.schedules.claimFire(claim)).toBe(true);
      expect(await stores.schedules.claimFire({ ...claim, actualTime: '2025-01-02T00:00:02.000Z' })).toBe(false);
      expect(await stores.schedules.fires(claim.scheduleId)).toEqual([{ ...claim, latenessMs: 1500, outcome: 'pending' }]);
    });

    it('GIVEN a failed fire WHEN its retry claims the slot THEN the claim succeeds', async () => {
      const slot = { ...claim, scheduledTime: '2025-01-03T00:00:00.000Z', actualTime: '2025-01-03T00:00:00.000Z' };
      await stores.schedules.claimFire(slot);
      await stores.schedules.recordFire({ ...slot, latenessMs: 0, outcome: 'failed', reason: 'throttled' });
      expect(await stores.schedules.claimFire(slot)).toBe(true);
    });

    it('GIVEN a started fire WHEN claimed again THEN the claim is refused', async () => {
      const slot = { ...claim, scheduledTime: '2025-01-04T00:00:00.000Z', actualTime: '2025-01-04T00:00:00.000Z' };
      await stores.schedules.claimFire(slot);
      await stores.schedules.recordFire({ ...slot, latenessMs: 0, outcome: 'started', executionId: 'x' });
      expect(await stores.schedules.claimFire(slot)).toBe(false);
    });

    it('GIVEN a pending claim older than the lease WHEN claimed again THEN the claim succeeds', async () => {
      const slot = { ...claim, scheduledTime: '2025-01-05T00:00:00.000Z', actualTime: '2025-01-05T00:00:00.000Z' };
      await stores.schedules.claimFire(slot);
      expect(await stores.schedules.claimFire({ ...slot, actualTime: '2025-01-05T00:14:59.000Z' })).toBe(false);
      expect(await stores.schedules.claimFire({ ...slot, actualTime: '2025-01-05T00:15:01.000Z' })).toBe(true);
    });

    it('GIVEN two events at the same time WHEN claimed THEN each event has its own slot', async () => {
      const slot = { scheduleId: 'orders.order_placed', scheduledTime: '2025-01-01T00:00:00.000Z', actualTime: '2025-01-01T00:00:00.000Z' };
      expect(await stores.schedules.claimFire({ ...slot, eventId: 'e-1' })).toBe(true);
      expect(await stores.schedules.claimFire({ ...slot, eventId: 'e-2' })).toBe(true);
      expect(await stores.schedules.claimFire({ ...slot, eventId: 'e-1' })).toBe(false);
    });
  });

  it('GIVEN several fires WHEN listed THEN the newest come first, up to the limit', async () => {
    const id = 'reports.hourly';
    for (const hour of ['01', '02', '03']) {
      const time = `2025-01-01T${hour}:00:00.000Z`;
      await stores.schedules.recordFire({ scheduleId: id, scheduledTime: time, actualTime: time, latenessMs: 0, outcome: 'skipped', reason: 'r' });
    }
    expect((await stores.schedules.fires(id, { limit: 2 })).map((f) => f.scheduledTime)).toEqual([
      '2025-01-01T03:00:00.000Z',
      '2025-01-01T02:00:00.000Z',
    ]);
  });
});

describe('DynamoDbFlagStore', () => {
  let dynamo: LocalDynamo;
  let stores: SchedulingStores;

  beforeAll(async () => {
    dynamo = await startDynalite();
    stores = await createSchedulingStores(dynamo.endpoint, () => new Date('2025-01-01T00:00:00.000Z'));
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('GIVEN a flag never set WHEN read THEN it is undefined', async () => {
    expect(await stores.flags.getFlag('never')).toBeUndefined();
  });

  it('GIVEN flags of each kind WHEN set and read THEN they keep their types', async () => {
    await stores.flags.setFlag('on', true);
    await stores.flags.setFlag('mode', 'live');
    await stores.flags.setFlag('level', 3);
    expect([await stores.flags.getFlag('on'), await stores.flags.getFlag('mode'), await stores.flags.getFlag('level')]).toEqual([true, 'live', 3]);
    expect(await stores.flags.getFlagRecord('on')).toEqual({ name: 'on', value: true, updatedAt: '2025-01-01T00:00:00.000Z' });
  });
});

describe('DynamoDbRateLimiter', () => {
  let dynamo: LocalDynamo;
  let stores: SchedulingStores;

  beforeAll(async () => {
    dynamo = await startDynalite();
    stores = await createSchedulingStores(dynamo.endpoint);
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('GIVEN a limit of 2 per minute WHEN a third arrives in the minute THEN it is refused until the next minute', async () => {
    const at = (s: string) => new Date(`2025-01-01T00:00:${s}.000Z`);
    expect(await stores.rateLimiter.tryAcquire('k', 2, at('01'))).toEqual({ admitted: true });
    expect(await stores.rateLimiter.tryAcquire('k', 2, at('02'))).toEqual({ admitted: true });
    expect(await stores.rateLimiter.tryAcquire('k', 2, at('45'))).toEqual({ admitted: false, retryAfterSeconds: 15 });
    expect(await stores.rateLimiter.tryAcquire('k', 2, new Date('2025-01-01T00:01:00.000Z'))).toEqual({ admitted: true });
  });
});
