import { upcomingFireTimes } from '../../scheduling/upcoming.ts';
import { NotFound } from '../../../core/errors.ts';
import { schedulingOf, type ApiDeps } from '../deps.ts';
import type { ApiResult } from '../response.ts';

/** How many fires `GET /schedules/{id}` shows, newest first. */
const RECENT_FIRES = 20;

/** `GET /schedules/{id}` → the schedule, its last 20 fires with their lateness, and its next fire times. */
export async function getSchedule(deps: ApiDeps, scheduleId: string): Promise<ApiResult> {
  const scheduling = schedulingOf(deps);
  const schedule = await scheduling.schedules.get(scheduleId);
  if (!schedule) throw new NotFound(`unknown schedule "${scheduleId}"`, { code: 'unknown_schedule' });
  const fires = await scheduling.schedules.fires(scheduleId, { limit: RECENT_FIRES });
  const nextFireTimes = schedule.enabled
    ? upcomingFireTimes(schedule.expression, schedule.timezone, deps.clock(), { start: new Date(schedule.createdAt) })
    : [];
  return { statusCode: 200, body: { ...schedule, fires, nextFireTimes } };
}
