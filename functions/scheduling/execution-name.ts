import { createHash } from 'node:crypto';

/** Room for the schedule id in a name: Step Functions names hold at most 80 characters. */
const ID_PART_LENGTH = 44;

/**
 * The execution name of one fire, derived from the schedule id and the scheduled time (and the event id
 * for event triggers), so a fire delivered twice asks Step Functions for the same name twice, and Step
 * Functions starts it once (a reused name is `ExecutionAlreadyExists`, or a no-op for the same input:
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
 *
 * `<schedule id, sanitised, at most 44>-<yyyymmddThhmmssZ>-<10 hex of SHA-256(id|time|event)>`: readable,
 * at most 72 characters of `[A-Za-z0-9_-]`, and the hash keeps ids that sanitise alike apart.
 */
export function fireExecutionName(scheduleId: string, scheduledTime: Date, eventId?: string): string {
  const iso = scheduledTime.toISOString();
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const digest = createHash('sha256')
    .update(`${scheduleId}|${iso}|${eventId ?? ''}`)
    .digest('hex')
    .slice(0, 10);
  const idPart = scheduleId.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, ID_PART_LENGTH);
  return `${idPart}-${stamp}-${digest}`;
}
