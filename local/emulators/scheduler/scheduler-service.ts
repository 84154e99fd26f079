import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { isValidTimeZone, parseSchedule } from '../../../core/scheduling/aws-cron.ts';
import { systemClock, type Clock } from '../../clock.ts';
import { readJsonFile, writeJsonFileAtomically } from '../../private/json-file.ts';
import { SerialWrites } from '../../private/serial-writes.ts';
import { SchedulerError } from './scheduler-error.ts';
import type { DispatchResult, LocalFire, LocalScheduler } from '../../scheduling/local-scheduler.ts';

export interface SchedulerTarget {
  readonly Arn: string;
  readonly RoleArn: string;
  /** Text sent to the target; context attributes such as `<aws.scheduler.scheduled-time>` are filled in. */
  readonly Input?: string;
  readonly RetryPolicy?: { readonly MaximumEventAgeInSeconds?: number; readonly MaximumRetryAttempts?: number };
  readonly DeadLetterConfig?: { readonly Arn?: string };
}

export interface CreateScheduleInput {
  readonly Name: string;
  /** @default 'default' */
  readonly GroupName?: string;
  readonly ScheduleExpression: string;
  /** @default 'UTC' */
  readonly ScheduleExpressionTimezone?: string;
  readonly Target: SchedulerTarget;
  readonly FlexibleTimeWindow: { readonly Mode: 'OFF' | 'FLEXIBLE'; readonly MaximumWindowInMinutes?: number };
  /** @default 'ENABLED' */
  readonly State?: 'ENABLED' | 'DISABLED';
  readonly Description?: string;
  readonly StartDate?: Date;
  readonly EndDate?: Date;
  /** `DELETE` removes a one-time schedule after it fired. @default 'NONE' */
  readonly ActionAfterCompletion?: 'NONE' | 'DELETE';
}

export interface ScheduleDescription extends CreateScheduleInput {
  readonly Arn: string;
  readonly GroupName: string;
  readonly State: 'ENABLED' | 'DISABLED';
  readonly CreationDate: Date;
  readonly LastModificationDate: Date;
}

/** Sends one fire's input to a schedule's target (in the dev stack: the dispatcher, or a state machine). */
export type SchedulerTargetInvoker = (target: SchedulerTarget, input: string, fire: LocalFire) => Promise<DispatchResult>;

export interface LocalSchedulerServiceProps {
  readonly scheduler: LocalScheduler;
  readonly invoke: SchedulerTargetInvoker;
  /** Groups besides `default` (the project's). @default [] */
  readonly groups?: readonly string[];
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly account?: string;
  /** Folder keeping schedules across restarts (`schedules.json`). @default in memory only */
  readonly dataDir?: string;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Told of a failed write of `schedules.json` (the next change writes the file anew). @default console.error */
  readonly onError?: (message: string, error: unknown) => void;
}

/** https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html (Name pattern). */
const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

/**
 * EventBridge Scheduler offline: schedules by group, kept in `schedules.json` (Scheduler keeps them, not the
 * app), armed on the LocalScheduler; a fire sends the target's Input, context attributes filled in
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html), to the
 * target invoker.
 */
export class LocalSchedulerService {
  private readonly schedules = new Map<string, ScheduleDescription>();
  private readonly groups: Set<string>;
  private readonly region: string;
  private readonly account: string;
  private readonly clock: Clock;
  private readonly writes: SerialWrites;

  constructor(private readonly props: LocalSchedulerServiceProps) {
    this.groups = new Set(['default', ...(props.groups ?? [])]);
    this.region = props.region ?? 'us-east-1';
    this.account = props.account ?? '000000000000';
    this.clock = props.clock ?? systemClock;
    this.writes = new SerialWrites((message, error) => {
      if (props.onError) props.onError(message, error);
      else console.error(`Scheduler offline: ${message}:`, error);
    });
  }

  /** Loads and arms the schedules saved by the previous run. */
  async load(): Promise<void> {
    if (!this.props.dataDir) return;
    // A missing or unreadable file leaves no schedule to arm.
    const saved = await readJsonFile<ScheduleDescription[]>(join(this.props.dataDir, 'schedules.json')).catch(() => undefined);
    for (const raw of saved ?? []) {
      const schedule = reviveDates(raw);
      if (!this.groups.has(schedule.GroupName)) continue;
      this.schedules.set(key(schedule.GroupName, schedule.Name), schedule);
      this.arm(schedule);
    }
  }

  /** CreateSchedule; returns the schedule ARN. */
  create(input: CreateScheduleInput): string {
    const group = input.GroupName ?? 'default';
    this.validate(input, group);
    const id = key(group, input.Name);
    if (this.schedules.has(id)) throw new SchedulerError('ConflictException', `Schedule ${input.Name} already exists.`);
    const now = new Date(this.clock.now());
    const schedule: ScheduleDescription = {
      ...input,
      GroupName: group,
      State: input.State ?? 'ENABLED',
      Arn: `arn:aws:scheduler:${this.region}:${this.account}:schedule/${group}/${input.Name}`,
      CreationDate: now,
      LastModificationDate: now,
    };
    this.schedules.set(id, schedule);
    this.arm(schedule);
    this.save();
    return schedule.Arn;
  }

  get(name: string, groupName?: string): ScheduleDescription {
    const group = groupName || 'default';
    this.group(group);
    const schedule = this.schedules.get(key(group, name));
    if (!schedule) throw new SchedulerError('ResourceNotFoundException', `Schedule ${name} does not exist.`);
    return schedule;
  }

  delete(name: string, groupName?: string): void {
    const schedule = this.get(name, groupName);
    const id = key(schedule.GroupName, schedule.Name);
    this.schedules.delete(id);
    this.props.scheduler.remove(schedulerId(id));
    this.save();
  }

  list(options: { groupName?: string; namePrefix?: string; state?: string } = {}): ScheduleDescription[] {
    return [...this.schedules.values()]
      .filter((s) => (!options.groupName || s.GroupName === options.groupName) && s.Name.startsWith(options.namePrefix ?? '') && (!options.state || s.State === options.state))
      .sort((a, b) => a.GroupName.localeCompare(b.GroupName) || a.Name.localeCompare(b.Name));
  }

  /** Resolves once the schedules file is written. */
  flush(): Promise<void> {
    return this.writes.flush();
  }

  private validate(input: CreateScheduleInput, group: string): void {
    const problems: string[] = [];
    if (typeof input.Name !== 'string' || !NAME.test(input.Name)) problems.push(`Value '${input.Name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$ and length 1-64`);
    if (!input.Target?.Arn || !input.Target?.RoleArn) problems.push("Value null at 'target' failed to satisfy constraint: Member must have Arn and RoleArn");
    if (!input.FlexibleTimeWindow || !['OFF', 'FLEXIBLE'].includes(input.FlexibleTimeWindow.Mode)) problems.push("Value at 'flexibleTimeWindow.mode' failed to satisfy constraint: Member must satisfy enum value set: [OFF, FLEXIBLE]");
    if (input.State !== undefined && input.State !== 'ENABLED' && input.State !== 'DISABLED') problems.push("Value at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]");
    if (problems.length) throw new SchedulerError('ValidationException', `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
    const timezone = input.ScheduleExpressionTimezone ?? 'UTC';
    if (!isValidTimeZone(timezone)) throw new SchedulerError('ValidationException', `Invalid ScheduleExpressionTimezone: ${timezone}`);
    const parsed = parseSchedule(input.ScheduleExpression ?? '', { timezone });
    // Scheduler takes cron(), rate() and at() only, never five-field Unix cron.
    if (!parsed.ok || (parsed.schedule.kind === 'cron' && parsed.schedule.syntax !== 'aws')) {
      throw new SchedulerError('ValidationException', `Invalid Schedule Expression ${input.ScheduleExpression}.${parsed.ok ? '' : ` ${parsed.problems.map((p) => p.message).join('; ')}`}`);
    }
    this.group(group);
  }

  private group(group: string): void {
    if (!this.groups.has(group)) throw new SchedulerError('ResourceNotFoundException', `Schedule group ${group} does not exist.`);
  }

  private arm(schedule: ScheduleDescription): void {
    const id = key(schedule.GroupName, schedule.Name);
    this.props.scheduler.upsert({
      id: schedulerId(id),
      workflow: workflowHint(schedule.Target) ?? id,
      expression: schedule.ScheduleExpression,
      timezone: schedule.ScheduleExpressionTimezone ?? 'UTC',
      enabled: schedule.State === 'ENABLED',
      // A rate counts its periods from StartDate, else from the schedule's creation, not from this (re)start.
      start: schedule.StartDate ?? schedule.CreationDate,
      payload: { schedulerSchedule: id },
    });
  }

  /** Fires one instant of a Scheduler schedule: EndDate respected, context attributes filled, completion applied. */
  async fire(fire: LocalFire): Promise<DispatchResult> {
    const id = (fire.schedule.payload as { schedulerSchedule: string }).schedulerSchedule;
    const schedule = this.schedules.get(id);
    if (!schedule) return { status: 'skipped', reason: 'schedule deleted' };
    if (schedule.EndDate && fire.scheduledTime.getTime() > new Date(schedule.EndDate).getTime()) return { status: 'skipped', reason: 'after the schedule EndDate' };
    const input = fillContext(schedule.Target.Input ?? '{}', { scheduleArn: schedule.Arn, scheduledTime: fire.scheduledTime });
    const result = await this.props.invoke(schedule.Target, input, fire);
    if (schedule.ScheduleExpression.startsWith('at(') && schedule.ActionAfterCompletion === 'DELETE') this.delete(schedule.Name, schedule.GroupName);
    return result;
  }

  private save(): void {
    const dir = this.props.dataDir;
    if (!dir) return;
    const all = [...this.schedules.values()];
    const file = join(dir, 'schedules.json');
    this.writes.queue(`writing ${file}`, () => writeJsonFileAtomically(file, all, { pretty: true }));
  }
}

/** The LocalScheduler id of a Scheduler schedule. */
export function schedulerId(groupAndName: string): string {
  return `scheduler:${groupAndName}`;
}

/** True for LocalScheduler schedules that belong to the Scheduler service. */
export function isSchedulerFire(fire: LocalFire): boolean {
  return typeof (fire.schedule.payload as { schedulerSchedule?: unknown } | undefined)?.schedulerSchedule === 'string';
}

function key(group: string, name: string): string {
  return `${group}/${name}`;
}

/** The workflow a target starts, for statistics: a `workflow` field of the Input, or the state machine name. */
function workflowHint(target: SchedulerTarget): string | undefined {
  try {
    const input = JSON.parse(target.Input ?? 'null') as { workflow?: unknown } | null;
    if (typeof input?.workflow === 'string') return input.workflow;
  } catch {
    /* not JSON */
  }
  return /:stateMachine:(.+)$/.exec(target.Arn)?.[1];
}

/** https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html */
function fillContext(input: string, context: { scheduleArn: string; scheduledTime: Date }): string {
  return input
    .replaceAll('<aws.scheduler.schedule-arn>', context.scheduleArn)
    .replaceAll('<aws.scheduler.scheduled-time>', context.scheduledTime.toISOString().replace(/\.\d{3}Z$/, 'Z'))
    .replaceAll('<aws.scheduler.execution-id>', randomUUID())
    .replaceAll('<aws.scheduler.attempt-number>', '1');
}

function reviveDates(raw: ScheduleDescription): ScheduleDescription {
  const date = (value: unknown) => (value === undefined ? undefined : new Date(value as string));
  return {
    ...raw,
    CreationDate: date(raw.CreationDate)!,
    LastModificationDate: date(raw.LastModificationDate)!,
    ...(raw.StartDate ? { StartDate: date(raw.StartDate) } : {}),
    ...(raw.EndDate ? { EndDate: date(raw.EndDate) } : {}),
  };
}
