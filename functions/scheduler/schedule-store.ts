import type { TriggerCondition } from './condition.ts';

/** Where a schedule comes from: a definition's `triggers` (deploy / dev-stack start) or `POST /schedules`. */
export type ScheduleOrigin = 'declared' | 'api';

/** A cron, rate or one-time schedule of one workflow. */
export interface ScheduleRecord {
  /** `<workflow>.<trigger name>` for declared schedules, `<workflow>.<name or generated id>` for API ones. */
  readonly scheduleId: string;
  readonly workflow: string;
  /** As written: Unix cron, `cron(...)`, `rate(...)` or `at(...)`. */
  readonly expression: string;
  /** IANA time zone the expression is read in. */
  readonly timezone: string;
  /** The execution input of every fire. */
  readonly input: unknown;
  readonly enabled: boolean;
  readonly origin: ScheduleOrigin;
  readonly condition?: TriggerCondition;
  /** The definition file a declared schedule comes from (for messages). */
  readonly source?: string;
  /** ISO 8601. */
  readonly createdAt: string;
}

/** What became of one fire. `pending` while the dispatcher that claimed the slot is working on it. */
export type FireOutcome = 'pending' | 'started' | 'skipped' | 'failed';

/** One fire of a schedule or an event trigger. */
export interface FireRecord {
  readonly scheduleId: string;
  /** When the fire was due (ISO 8601); for event triggers, the event's `time`. */
  readonly scheduledTime: string;
  /** When the dispatcher handled it (ISO 8601). */
  readonly actualTime: string;
  /** `actualTime - scheduledTime` in milliseconds. */
  readonly latenessMs: number;
  readonly outcome: FireOutcome;
  /** Why a fire was skipped or failed, for people. */
  readonly reason?: string;
  /** The execution a `started` fire started. */
  readonly executionId?: string;
  /** The EventBridge event id, for event triggers (many events can share one `time`). */
  readonly eventId?: string;
}

/** A dispatcher's claim on one fire slot: (scheduleId, scheduledTime[, eventId]). */
export interface FireClaim {
  readonly scheduleId: string;
  readonly scheduledTime: string;
  readonly actualTime: string;
  readonly eventId?: string;
}

export interface ListSchedulesOptions {
  /** Only this workflow's schedules. @default every workflow */
  readonly workflow?: string;
}

export interface FiresOptions {
  /** @default 20 */
  readonly limit?: number;
}

/**
 * Schedules and their fires, on conditional single-item writes only (the offline table, dynalite, has
 * neither transactions nor TTL).
 */
export interface ScheduleStore {
  /** Creates or replaces a schedule (declared schedules, upserted at deploy and dev-stack start). */
  put(record: ScheduleRecord): Promise<void>;
  /** Creates a schedule unless one with this id exists; returns whether it did. */
  create(record: ScheduleRecord): Promise<boolean>;
  get(scheduleId: string): Promise<ScheduleRecord | undefined>;
  /** Ordered by workflow, then id. */
  list(options?: ListSchedulesOptions): Promise<ScheduleRecord[]>;
  /** Returns whether there was a schedule to delete. Its fire records stay (history). */
  delete(scheduleId: string): Promise<boolean>;
  /** How many schedules the workflow has, declared and API ones. */
  count(workflow: string): Promise<number>;
  /**
   * Claims a fire slot with a conditional put; false when the slot is already claimed, which is the
   * no-double-fire guard. A slot whose fire failed, or whose claim is older than the claim lease (the
   * dispatcher died mid-fire), can be claimed again.
   */
  claimFire(claim: FireClaim): Promise<boolean>;
  /** Records what became of a claimed fire. */
  recordFire(fire: FireRecord): Promise<void>;
  /** Newest first. */
  fires(scheduleId: string, options?: FiresOptions): Promise<FireRecord[]>;
}

/** The workflow a schedule id belongs to: workflow and trigger names hold no dots, the id is `<workflow>.<name>`. */
export function workflowOfScheduleId(scheduleId: string): string | undefined {
  const dot = scheduleId.lastIndexOf('.');
  return dot > 0 ? scheduleId.slice(0, dot) : undefined;
}

/** The id of a workflow's named schedule or trigger. */
export function scheduleIdFor(workflow: string, name: string): string {
  return `${workflow}.${name}`;
}
