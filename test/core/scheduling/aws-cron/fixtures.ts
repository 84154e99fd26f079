import { nextFireTimes } from '../../../../core/scheduling/aws-cron.ts';

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
export const RULES_DOC = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html';
// https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
export const SCHEDULER_DOC = 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html';

/** The next `count` fire times after `from`, as ISO strings. */
export function fires(expression: string, from: string, count: number, timezone?: string): string[] {
  return nextFireTimes(expression, { from: new Date(from), count, timezone }).map((d) => d.toISOString());
}
