/** Parsing and validating any schedule expression: cron, rate, at or Unix cron. */
import { isValidTimeZone } from '../private/zoned-time.ts';
import { parseAt } from './at.ts';
import { makeCron, parseAwsCron, parseUnixCron } from './cron.ts';
import { parseRate } from './rate.ts';
import type { Schedule, ScheduleProblem } from './schedule.ts';

export type ParseScheduleResult =
  | { readonly ok: true; readonly schedule: Schedule; readonly problems: readonly [] }
  | { readonly ok: false; readonly schedule?: undefined; readonly problems: readonly ScheduleProblem[] };

export interface ParseScheduleOptions {
  /**
   * Shortest rate accepted, in seconds. AWS refuses rates under one minute; lower it only for offline runs.
   * @default 60
   */
  readonly minimumRateSeconds?: number;
  /**
   * IANA time zone the schedule runs in; checked with `Intl.DateTimeFormat`.
   * @default 'UTC'
   */
  readonly timezone?: string;
  /**
   * A cron expression must match some instant after this one: one that matches none never fires and is
   * refused (`never_fires`). @default 1970-01-01T00:00:00Z, so only dates no calendar has (31 February)
   */
  readonly now?: Date;
}

const DEFAULT_MINIMUM_RATE_SECONDS = 60;
const EPOCH = new Date(0);

/** Parses a schedule expression, reporting every problem found. */
export function parseSchedule(expression: string, options: ParseScheduleOptions = {}): ParseScheduleResult {
  const problems: ScheduleProblem[] = [];
  const report = (code: string, message: string, field?: string) =>
    problems.push({ code, path: field ? [field] : [], message });
  const timezone = options.timezone ?? 'UTC';
  if (!isValidTimeZone(timezone)) {
    report('unknown_time_zone', `unknown time zone "${timezone}"; expected an IANA name such as "America/New_York"`);
  }
  const text = expression.trim();
  let schedule: Schedule | undefined;
  if (text.startsWith('cron(')) schedule = parseAwsCron(text, report);
  else if (text.startsWith('rate(')) schedule = parseRate(text, options.minimumRateSeconds ?? DEFAULT_MINIMUM_RATE_SECONDS, report);
  else if (text.startsWith('at(')) schedule = parseAt(text, report);
  else if (text === '') report('empty_expression', 'schedule expression is empty');
  else schedule = parseUnixCron(text, report);
  if (schedule?.kind === 'cron' && problems.length === 0 && makeCron(schedule, timezone).nextRun(options.now ?? EPOCH) === null) {
    report('never_fires', `"${text}" never fires${options.now ? ` after ${options.now.toISOString()}` : ''}: no date matches it`);
  }
  if (problems.length > 0 || !schedule) return { ok: false, problems };
  return { ok: true, schedule, problems: [] };
}

/** Every problem in a schedule expression; empty when valid. */
export function validateSchedule(expression: string, options: ParseScheduleOptions = {}): ScheduleProblem[] {
  return [...parseSchedule(expression, options).problems];
}
