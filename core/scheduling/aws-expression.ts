import type { Schedule } from './aws-cron.ts';

/**
 * The expression as EventBridge and Scheduler read it: `cron(...)`, `rate(...)` and `at(...)` as they are;
 * five-field Unix cron as `cron(min hour dom month dow year)`, with `?` in one day field and weekdays
 * counted 1-7 from Sunday where Unix counts 0-6 (7 is Sunday too)
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-cron-expressions).
 * The same translation as the compiler's `unixToAwsCron`.
 */
export function toAwsExpression(schedule: Schedule): string {
  if (schedule.kind !== 'cron' || schedule.syntax === 'aws') return schedule.expression.trim();
  const [minute, hour, dom, month, dow] = schedule.expression.trim().split(/\s+/);
  const weekday = dow === '*' ? '?' : dow.replace(/\d+/g, (n) => String((Number(n) % 7) + 1));
  const day = dow !== '*' && dom === '*' ? '?' : dom;
  return `cron(${minute} ${hour} ${day} ${month} ${weekday} *)`;
}
