import { createHash } from 'node:crypto';

/** EventBridge Scheduler names: `[0-9a-zA-Z-_.]+`, at most 64 characters (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html). */
const MAX_NAME = 64;

/** The Scheduler schedule name of a schedule id: the id when it fits, else a prefix and a hash of it. */
export function schedulerName(scheduleId: string): string {
  if (scheduleId.length <= MAX_NAME) return scheduleId;
  const digest = createHash('sha256').update(scheduleId).digest('hex').slice(0, 12);
  return `${scheduleId.slice(0, MAX_NAME - digest.length - 1)}-${digest}`;
}
