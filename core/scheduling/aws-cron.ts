/**
 * Schedule expressions: AWS `cron(...)`, `rate(...)` and `at(...)`, and five-field Unix cron, parsed,
 * validated and turned into fire times with croner.
 *
 * Sources that decide behaviour:
 * - EventBridge "Schedule expressions for rules":
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 *   (fields, wildcards `, - * ? / L W #`, one of day-of-month / day-of-week is `?`, year 1970-2199,
 *   rate units singular for 1 and plural above, no rate under one minute)
 * - EventBridge Scheduler "Schedule types":
 *   https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 *   (`at(yyyy-mm-ddThh:mm:ss)` one-time schedules in a time zone; daylight saving time: a local time skipped
 *   by spring-forward does not fire, a time repeated by fall-back fires once; a rate of days is 24 hours)
 * - https://repost.aws/knowledge-center/eventbridge-scheduler-adjust-dst (the same DST rules, restated)
 *
 * The implementation is in aws-cron/: parse.ts, cron.ts (cron fields to croner), rate.ts, at.ts and
 * next-fire-times.ts.
 */
export { isValidTimeZone } from './private/zoned-time.ts';
export { nextFireTimes, type NextFireTimesOptions } from './aws-cron/next-fire-times.ts';
export { parseSchedule, validateSchedule, type ParseScheduleOptions, type ParseScheduleResult } from './aws-cron/parse.ts';
export type { AtSchedule, CronSchedule, RateSchedule, Schedule, ScheduleProblem } from './aws-cron/schedule.ts';
