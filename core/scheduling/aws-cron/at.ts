/**
 * `at(yyyy-mm-ddThh:mm:ss)`: a one-time schedule, read in the schedule's time zone.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#one-time
 */
import type { AtSchedule, Report } from './schedule.ts';

/** An `at(...)` expression, or undefined after reporting why it is not a real date and time. */
export function parseAt(text: string, report: Report): AtSchedule | undefined {
  const match = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(text);
  if (!match) {
    report('invalid_at', `one-time expression "${text}" must be at(yyyy-mm-ddThh:mm:ss)`);
    return undefined;
  }
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number);
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    report('invalid_at', `"${text}" is not a real date and time`);
    return undefined;
  }
  return { kind: 'at', expression: text, localTime: text.slice(3, -1) };
}
