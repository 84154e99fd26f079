import { ConflictException, CreateScheduleCommand, ValidationException } from '@aws-sdk/client-scheduler';
import { toAwsExpression } from '../../../core/scheduling/aws-expression.ts';
import { type ScheduleRecord } from '../../../core/contracts/schedule-record.ts';
import { scheduleIdFor } from '../../../core/contracts/schedule-id.ts';
import { schedulerTargetInput } from '../../../core/contracts/target-input.ts';
import { upcomingFireTimes } from '../../scheduling/upcoming.ts';
import { BadRequest, ConfigurationError, Conflict } from '../../../core/errors.ts';
import { parseSchedule } from '../../../core/scheduling/aws-cron.ts';
import { schedulingOf, type ApiDeps } from '../deps.ts';
import { findWorkflow } from '../../executions/find-workflow.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { createScheduleBody } from '../schemas.ts';
import { schedulerName } from '../../scheduling/scheduler-name.ts';

/**
 * Retries Scheduler makes when the dispatcher cannot be invoked, then the dead-letter queue
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-retry-policy.html). The
 * dispatcher's own failures are Lambda errors Scheduler retries the same way.
 */
const RETRY_POLICY = { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 };

/**
 * `POST /schedules` `{ workflow, cron | rate | at, timezone?, input?, name?, enabled?, condition? }` →
 * 201 `{ scheduleId, ..., nextFireTimes }`. Validates everything before creating anything; creates the
 * record (conditional: an existing id is a 409) and then the Scheduler schedule targeting the dispatcher,
 * removing the record again when Scheduler refuses.
 *
 * `max_jobs` is checked by counting first: two creations racing for the last slot can both pass.
 */
export async function createSchedule(deps: ApiDeps, body: unknown): Promise<ApiResult> {
  const scheduling = schedulingOf(deps);
  const request = parseRequest(createScheduleBody, body ?? {}, 'request body');
  const workflow = findWorkflow(deps, request.workflow);
  const expression = request.cron ?? wrap('rate', request.rate) ?? wrap('at', request.at) ?? '';
  const now = deps.clock();
  // A cron that matches no instant from now on never fires: refused.
  const parsed = parseSchedule(expression, { timezone: request.timezone, now });
  if (!parsed.ok) {
    throw new BadRequest(`invalid schedule "${expression}"`, { code: 'invalid_schedule', details: parsed.problems });
  }
  const nextFireTimes = upcomingFireTimes(expression, request.timezone, now, { start: now });
  if (parsed.schedule.kind === 'at' && nextFireTimes.length === 0) {
    throw new BadRequest(`invalid schedule "${expression}"`, {
      code: 'invalid_schedule',
      details: [{ code: 'at_in_past', path: ['at'], message: `${expression} in ${request.timezone} is not in the future` }],
    });
  }
  const input = request.input === undefined ? {} : request.input;
  deps.validator.check(request.workflow, workflow.inputSchema, input);

  if (workflow.maxJobs !== undefined) {
    // Declared schedules count too, whether or not the store holds them (offline it does, on AWS not).
    const stored = await scheduling.schedules.list({ workflow: request.workflow });
    const count = new Set([...stored.map((s) => s.scheduleId), ...(workflow.declaredSchedules ?? [])]).size;
    if (count >= workflow.maxJobs) {
      throw new Conflict(`workflow "${request.workflow}" has ${count} schedules; its max_jobs limit is ${workflow.maxJobs}`, {
        code: 'max_jobs_reached',
      });
    }
  }

  const { dispatcherArn, schedulerRoleArn, deadLetterArn, scheduleGroup } = scheduling.settings;
  if (!dispatcherArn || !schedulerRoleArn) {
    throw new ConfigurationError('STEPFLOW_DISPATCHER_ARN and STEPFLOW_SCHEDULER_ROLE_ARN must be set to create schedules');
  }
  const record: ScheduleRecord = {
    scheduleId: scheduleIdFor(request.workflow, request.name ?? deps.newId()),
    workflow: request.workflow,
    expression,
    timezone: request.timezone,
    input,
    enabled: request.enabled,
    origin: 'api',
    ...(request.condition ? { condition: request.condition } : {}),
    createdAt: now.toISOString(),
  };
  if (!(await scheduling.schedules.create(record))) {
    throw new Conflict(`schedule "${record.scheduleId}" exists`, { code: 'schedule_exists' });
  }
  try {
    await scheduling.scheduler.send(
      new CreateScheduleCommand({
        Name: schedulerName(record.scheduleId),
        GroupName: scheduleGroup,
        ScheduleExpression: toAwsExpression(parsed.schedule),
        ScheduleExpressionTimezone: record.timezone,
        // Fires exactly when due: no flexible window (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html).
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: record.enabled ? 'ENABLED' : 'DISABLED',
        Description: `stepflow schedule ${record.scheduleId}`,
        Target: {
          Arn: dispatcherArn,
          RoleArn: schedulerRoleArn,
          Input: schedulerTargetInput({ scheduleId: record.scheduleId, workflow: record.workflow, input, ...(record.condition ? { condition: record.condition } : {}) }),
          RetryPolicy: RETRY_POLICY,
          ...(deadLetterArn ? { DeadLetterConfig: { Arn: deadLetterArn } } : {}),
        },
      }),
    );
  } catch (error) {
    await scheduling.schedules.delete(record.scheduleId);
    if (error instanceof ConflictException) {
      throw new Conflict(`EventBridge Scheduler already has a schedule for "${record.scheduleId}"`, { code: 'schedule_exists', cause: error });
    }
    if (error instanceof ValidationException) {
      throw new BadRequest(`EventBridge Scheduler refused the schedule: ${error.message}`, { code: 'invalid_schedule', cause: error });
    }
    throw error;
  }
  return { statusCode: 201, body: { ...record, nextFireTimes } };
}

function wrap(kind: 'rate' | 'at', value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed.startsWith(`${kind}(`) ? trimmed : `${kind}(${trimmed})`;
}
