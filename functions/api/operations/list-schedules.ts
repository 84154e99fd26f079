import { schedulingOf, type ApiDeps } from '../deps.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { listSchedulesQuery } from '../schemas.ts';
import { upcomingFireTimes } from '../../scheduling/upcoming.ts';

/** `GET /schedules?workflow=` → `{ items: [{ ...schedule, nextFireTime }] }`, by workflow then id. */
export async function listSchedules(deps: ApiDeps, query: unknown): Promise<ApiResult> {
  const scheduling = schedulingOf(deps);
  const { workflow } = parseRequest(listSchedulesQuery, query ?? {}, 'query');
  const now = deps.clock();
  const items = await scheduling.schedules.list(workflow === undefined ? {} : { workflow });
  return {
    statusCode: 200,
    body: {
      items: items.map((schedule) => ({
        ...schedule,
        nextFireTime: upcomingFireTimes(schedule.expression, schedule.timezone, now, { count: 1, start: new Date(schedule.createdAt) })[0] ?? null,
      })),
    },
  };
}
