import type { TriggerCondition } from './trigger-condition.ts';

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
  /** Fires that fell while the offline stack was down run late at its next start. @default false */
  readonly catchup?: boolean;
  readonly origin: ScheduleOrigin;
  readonly condition?: TriggerCondition;
  /** The definition file a declared schedule comes from (for messages). */
  readonly source?: string;
  /** ISO 8601. */
  readonly createdAt: string;
}

/**
 * What became of one fire. `pending` while the dispatcher that claimed the slot is working on it;
 * `missed` for an instant that fell while the offline stack was not running.
 */
export type FireOutcome = 'pending' | 'started' | 'skipped' | 'failed' | 'missed';

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

/** A schedule as the API shows it: the record and its next fire time (ISO 8601 UTC), null when there is none. */
export interface ScheduleView extends ScheduleRecord {
  readonly nextFireTime?: string | null;
}
