import { upcomingFireTimes } from '../../scheduling/upcoming.ts';
import { NotFound } from '../../../core/errors.ts';
import { schedulingOf, type ApiDeps } from '../deps.ts';
import type { ApiResult } from '../response.ts';

/** How many fires `GET /schedules/{id}` shows, newest first. */
const RECENT_FIRES = 20;

/**
 * `GET /schedules/{id}` → the schedule, its last 20 fires with their lateness, and its next fire times; for an
 * event trigger's id, its last 20 deliveries (`kind: "event_trigger"`).
 */
export async function getSchedule(deps: ApiDeps, scheduleId: string): Promise<ApiResult> {
  const scheduling = schedulingOf(deps);
  const schedule = await scheduling.schedules.get(scheduleId);
  const fires = await scheduling.schedules.fires(scheduleId, { limit: RECENT_FIRES });
  if (!schedule) {
    // An event trigger (`<workflow>.<trigger>`) has no schedule record, only its deliveries: shown, failed ones with their reason.
    if (fires.length > 0) return { statusCode: 200, body: { scheduleId, kind: 'event_trigger', fires } };
    throw new NotFound(`unknown schedule "${scheduleId}"`, { code: 'unknown_schedule' });
  }
  const nextFireTimes = schedule.enabled
    ? upcomingFireTimes(schedule.expression, schedule.timezone, deps.clock(), { start: new Date(schedule.createdAt) })
    : [];
  return { statusCode: 200, body: { ...schedule, fires, nextFireTimes } };
}
