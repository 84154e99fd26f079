import { DeleteScheduleCommand, ResourceNotFoundException } from '@aws-sdk/client-scheduler';
import { Conflict, NotFound } from '../../../core/errors.ts';
import { schedulingOf, type ApiDeps } from '../deps.ts';
import type { ApiResult } from '../response.ts';
import { schedulerName } from '../../scheduling/scheduler-name.ts';

/**
 * `DELETE /schedules/{id}`: deletes the Scheduler schedule (one already gone is fine) and then the record.
 * A declared schedule is the definition's to remove: 409.
 */
export async function deleteSchedule(deps: ApiDeps, scheduleId: string): Promise<ApiResult> {
  const scheduling = schedulingOf(deps);
  const schedule = await scheduling.schedules.get(scheduleId);
  // On AWS declared schedules are deployed with the stack and known from the registry, not the store.
  const declared = Object.entries(deps.workflows).find(([, w]) => w.declaredSchedules?.includes(scheduleId));
  if (!schedule && declared) {
    throw new Conflict(`schedule "${scheduleId}" is declared in the definition of workflow "${declared[0]}"; remove it from the definition`, { code: 'declared_schedule' });
  }
  if (!schedule) throw new NotFound(`unknown schedule "${scheduleId}"`, { code: 'unknown_schedule' });
  if (schedule.origin === 'declared') {
    const file = schedule.source ?? `the definition of workflow "${schedule.workflow}"`;
    throw new Conflict(`schedule "${scheduleId}" is declared in ${file}; remove it from the definition`, { code: 'declared_schedule' });
  }
  try {
    await scheduling.scheduler.send(new DeleteScheduleCommand({ Name: schedulerName(scheduleId), GroupName: scheduling.settings.scheduleGroup }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await scheduling.schedules.delete(scheduleId);
  return { statusCode: 200, body: { scheduleId, deleted: true } };
}
