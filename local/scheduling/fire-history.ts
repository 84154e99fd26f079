import { nextFireTimes } from '../../core/scheduling/aws-cron.ts';
import type { FireRecord, ScheduleRecord } from '../../core/contracts/schedule-record.ts';
import { fireExecutionName } from '../../functions/scheduling/execution-name.ts';
import type { ScheduleStore } from '../../functions/scheduling/schedule-store.ts';
import type { LocalEngine } from '../engine/local-engine.ts';
import { percentile, type ScheduleStats } from './local-scheduler.ts';

/** Missed instants recorded (or caught up) per schedule at most, however long the stack was down. */
export const MAX_MISSED_PER_SCHEDULE = 100;
/** Fires read per schedule for its counts. */
const COUNTED_FIRES = 1000;

export interface DowntimeReport {
  /** Fires the previous process had claimed and not finished: now `started` or `failed`. */
  readonly settled: number;
  /** Instants that fell while the stack was down, recorded `missed`. */
  readonly missed: number;
  /** Instants that fell while the stack was down, dispatched late (`catchup: true`). */
  readonly caughtUp: number;
}

export interface DowntimeDeps {
  readonly store: ScheduleStore;
  readonly engine: LocalEngine;
  readonly now: Date;
  /** Dispatches one late instant of a schedule (claims it like any fire). */
  readonly dispatchLate: (record: ScheduleRecord, scheduledTime: Date) => Promise<unknown>;
}

/**
 * What happened while the stack was down, made visible in the store at start:
 * - a fire the previous process claimed (`pending`) is `started` if its execution exists, else `failed`
 *   (and so claimable again: a redelivered event fires it);
 * - each instant of an enabled schedule between its last recorded fire and now is recorded `missed`, or
 *   dispatched late when the schedule says `catchup`. A schedule that never fired has no known gap.
 */
export async function settleDowntime(schedules: readonly ScheduleRecord[], triggerIds: readonly string[], deps: DowntimeDeps): Promise<DowntimeReport> {
  let settled = 0;
  let missed = 0;
  let caughtUp = 0;
  for (const scheduleId of [...schedules.map((s) => s.scheduleId), ...triggerIds]) {
    const workflow = scheduleId.slice(0, scheduleId.indexOf('.'));
    for (const fire of (await deps.store.fires(scheduleId, { limit: 50 })).filter((f) => f.outcome === 'pending')) {
      const executionId = fireExecutionName(scheduleId, new Date(fire.scheduledTime), fire.eventId);
      const started = deps.engine.find(deps.engine.executionArn(workflow, executionId)) !== undefined;
      await deps.store.recordFire(
        started
          ? { ...fire, outcome: 'started', executionId, reason: 'started before the stack stopped' }
          : { ...fire, outcome: 'failed', reason: 'the stack stopped while this fire was being dispatched' },
      );
      settled++;
    }
  }
  for (const record of schedules.filter((s) => s.enabled)) {
    const [last] = await deps.store.fires(record.scheduleId, { limit: 1 });
    if (!last) continue;
    const from = new Date(last.scheduledTime);
    const gap = nextFireTimes(record.expression, { from, count: MAX_MISSED_PER_SCHEDULE + 1, timezone: record.timezone, start: from })
      .filter((instant) => instant.getTime() < deps.now.getTime())
      .slice(0, MAX_MISSED_PER_SCHEDULE);
    for (const instant of gap) {
      if (record.catchup) {
        await deps.dispatchLate(record, instant);
        caughtUp++;
      } else {
        const scheduledTime = instant.toISOString();
        await deps.store.recordFire({
          scheduleId: record.scheduleId,
          scheduledTime,
          actualTime: deps.now.toISOString(),
          latenessMs: deps.now.getTime() - instant.getTime(),
          outcome: 'missed',
          reason: 'the offline stack was not running',
        });
        missed++;
      }
    }
  }
  return { settled, missed, caughtUp };
}

/** The scheduler's view of its schedules with their counts read from the store (they outlive the process). */
export async function storedStats(store: ScheduleStore, live: readonly ScheduleStats[]): Promise<ScheduleStats[]> {
  return Promise.all(
    live.map(async (stats) => {
      const fires = await store.fires(stats.scheduleId, { limit: COUNTED_FIRES });
      const count = (outcome: FireRecord['outcome']) => fires.filter((f) => f.outcome === outcome).length;
      const skipped: Record<string, number> = {};
      for (const fire of fires.filter((f) => f.outcome === 'skipped')) skipped[fire.reason ?? 'skipped'] = (skipped[fire.reason ?? 'skipped'] ?? 0) + 1;
      // The timer's own lateness when this run has measured it; else the dispatcher's, as stored.
      const lateness = fires.filter((f) => f.outcome !== 'missed').map((f) => f.latenessMs).sort((a, b) => a - b);
      const stored = lateness.length ? { p50LatenessMs: percentile(lateness, 0.5), p99LatenessMs: percentile(lateness, 0.99) } : {};
      return {
        ...stored,
        ...stats,
        fires: fires.length + stats.duplicates,
        started: count('started'),
        skipped,
        missed: count('missed'),
        failed: count('failed'),
      };
    }),
  );
}
