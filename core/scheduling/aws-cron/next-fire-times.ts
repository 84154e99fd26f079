/**
 * When a schedule fires, with EventBridge Scheduler's daylight saving time rules.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
import { InvalidScheduleError } from '../errors.ts';
import { isValidTimeZone, wallClock, zonedTimeToUtc } from '../private/zoned-time.ts';
import { makeCron } from './cron.ts';
import { parseSchedule } from './parse.ts';
import type { CronSchedule, RateSchedule, Schedule } from './schedule.ts';

export interface NextFireTimesOptions {
  /** Fire times strictly after this instant are returned. */
  readonly from: Date;
  /** How many fire times at most. */
  readonly count: number;
  /**
   * IANA time zone in which cron fields and `at` times are read (EventBridge Scheduler); rules are UTC.
   * @default 'UTC'
   */
  readonly timezone?: string;
  /**
   * When a rate schedule started: it fires every period after this instant.
   * @default options.from
   */
  readonly start?: Date;
}

/**
 * The next fire times of a schedule, strictly after `from`, with EventBridge Scheduler's daylight saving
 * rules: a local time that spring-forward skips does not fire, a local time that fall-back repeats fires
 * once, at its first occurrence (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
 * Throws `InvalidScheduleError` for an invalid expression or time zone.
 */
export function nextFireTimes(schedule: Schedule | string, options: NextFireTimesOptions): Date[] {
  const timezone = options.timezone ?? 'UTC';
  let parsed: Schedule;
  if (typeof schedule === 'string') {
    const result = parseSchedule(schedule, { timezone, minimumRateSeconds: 0 });
    if (!result.ok) throw new InvalidScheduleError(result.problems);
    parsed = result.schedule;
  } else {
    if (!isValidTimeZone(timezone)) {
      throw new InvalidScheduleError([{ code: 'unknown_time_zone', path: [], message: `unknown time zone "${timezone}"` }]);
    }
    parsed = schedule;
  }
  if (options.count <= 0) return [];
  switch (parsed.kind) {
    case 'rate':
      return rateFireTimes(parsed, options);
    case 'at': {
      const at = zonedTimeToUtc(parsed.localTime, timezone);
      return at.getTime() > options.from.getTime() ? [at] : [];
    }
    case 'cron':
      return cronFireTimes(parsed, options.from, options.count, timezone);
  }
}

function rateFireTimes(schedule: RateSchedule, options: NextFireTimesOptions): Date[] {
  const period = schedule.seconds * 1000;
  const from = options.from.getTime();
  const start = (options.start ?? options.from).getTime();
  // The first fire is one period after the start; then every period.
  let k = Math.max(1, Math.floor((from - start) / period) + 1);
  while (start + k * period <= from) k++;
  return Array.from({ length: options.count }, (_, i) => new Date(start + (k + i) * period));
}

/**
 * croner's own DST handling runs a skipped fixed time after the gap and repeats interval jobs in the
 * repeated hour; Scheduler does neither, so candidates are filtered: one whose local wall clock croner did
 * not ask for (moved out of a gap) is dropped, and so is the second pass through a repeated local time.
 */
function cronFireTimes(schedule: CronSchedule, from: Date, count: number, timezone: string): Date[] {
  const cron = makeCron(schedule, timezone);
  const out: Date[] = [];
  let cursor = from;
  // Each real fire time costs at most a few rejected candidates around a DST change.
  for (let guard = 0; out.length < count && guard < count * 4 + 16; guard++) {
    const next = cron.nextRun(cursor);
    if (!next) break;
    cursor = next;
    if (!cron.match(next)) continue;
    if (isRepeatedWallClock(next, timezone)) continue;
    out.push(next);
  }
  return out;
}

/** Whether the same local wall-clock time already happened up to two hours earlier (fall-back). */
function isRepeatedWallClock(instant: Date, timezone: string): boolean {
  const wall = wallClock(instant, timezone);
  for (const minutes of [30, 60, 120]) {
    if (wallClock(new Date(instant.getTime() - minutes * 60_000), timezone) === wall) return true;
  }
  return false;
}
