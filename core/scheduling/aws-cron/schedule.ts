/** What a schedule expression parses to, and how its problems are reported. */
import type { Problem } from '../errors.ts';

export type ScheduleProblem = Problem;

/** A cron schedule, AWS six-field or Unix five-field, with the croner pattern it translates to. */
export interface CronSchedule {
  readonly kind: 'cron';
  readonly expression: string;
  /** `aws` for `cron(min hour dom month dow year)`, `unix` for `min hour dom month dow`. */
  readonly syntax: 'aws' | 'unix';
  /** The pattern given to croner (seconds first; a year field for AWS cron). */
  readonly cronerPattern: string;
  /** AWS cron has `?` in one day field, so both day fields must hold (AND); Unix cron ORs them. */
  readonly domAndDow: boolean;
}

export interface RateSchedule {
  readonly kind: 'rate';
  readonly expression: string;
  readonly value: number;
  readonly unit: 'second' | 'minute' | 'hour' | 'day';
  /** The period in seconds: a day is 24 hours, whatever daylight saving time does to the wall clock. */
  readonly seconds: number;
}

/** A one-time schedule: a local date and time, read in the schedule's time zone. */
export interface AtSchedule {
  readonly kind: 'at';
  readonly expression: string;
  /** `yyyy-mm-ddThh:mm:ss`, local to the schedule's time zone. */
  readonly localTime: string;
}

export type Schedule = CronSchedule | RateSchedule | AtSchedule;

/** Records one problem with the expression; `field` names the cron field at fault. */
export type Report = (code: string, message: string, field?: string) => void;
