import { nextFireTimes, parseSchedule } from '../../core/scheduling/aws-cron.ts';

/** How many upcoming fire times the API shows. */
export const UPCOMING_COUNT = 3;

/**
 * The next fire times of a schedule after `from`, as ISO 8601 UTC instants; fewer when the schedule has
 * fewer (a one-time `at()`), none for an expression that no longer parses. Rates count from `start`.
 */
export function upcomingFireTimes(
  expression: string,
  timezone: string,
  from: Date,
  options: { readonly count?: number; readonly start?: Date } = {},
): string[] {
  const parsed = parseSchedule(expression, { timezone, minimumRateSeconds: 0 });
  if (!parsed.ok) return [];
  const times = nextFireTimes(parsed.schedule, {
    from,
    count: options.count ?? UPCOMING_COUNT,
    timezone,
    ...(options.start ? { start: options.start } : {}),
  });
  // A schedule stored before its expression was refused may give instants no Date holds.
  return times.filter((time) => !Number.isNaN(time.getTime())).map((time) => time.toISOString());
}
