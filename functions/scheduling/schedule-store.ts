import type { FireRecord, ScheduleRecord } from '../../core/contracts/schedule-record.ts';

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
