import { EventEmitter } from 'node:events';
import { nextFireTimes, parseSchedule, type Schedule } from '../../core/scheduling/aws-cron.ts';
import { InvalidScheduleError } from '../../core/scheduling/errors.ts';
import { systemClock, type Clock } from '../clock.ts';
import { PrecisionTimer, type Cancel } from './timer.ts';

/** One schedule the LocalScheduler keeps armed: a declared cron trigger or one created through the API. */
export interface LocalSchedule {
  /** Unique key; the store's claim guard is per (id, scheduled instant). */
  readonly id: string;
  /** Workflow the fire starts. */
  readonly workflow: string;
  /** `cron(...)`, `rate(...)`, `at(...)` or five-field Unix cron. */
  readonly expression: string;
  /** IANA zone the expression is read in (Scheduler semantics). @default 'UTC' */
  readonly timezone?: string;
  /** @default true */
  readonly enabled?: boolean;
  /** Where a rate schedule counts its periods from; a rate fires every period after it. @default when armed */
  readonly start?: Date;
  /** Anything the dispatch needs (input, condition, trigger name); passed through untouched. */
  readonly payload?: unknown;
}

/** One scheduled instant reaching its time. */
export interface LocalFire {
  readonly schedule: LocalSchedule;
  /** The instant the expression asked for. */
  readonly scheduledTime: Date;
  /** When the timer actually fired (epoch ms, sub-millisecond). */
  readonly firedAt: number;
}

export type FireStatus = 'started' | 'skipped' | 'duplicate' | 'missed' | 'failed';

/** What became of one fire. */
export interface FireRecord {
  readonly scheduleId: string;
  readonly workflow: string;
  readonly scheduledTime: Date;
  /** firedAt − scheduledTime, in ms (the timer's lateness, before claim and dispatch). */
  readonly latenessMs: number;
  /** Time spent in the dispatch (claim, condition, StartExecution), in ms. */
  readonly dispatchMs: number;
  readonly status: FireStatus;
  readonly reason?: string;
}

/** The dispatch's answer; `duplicate` when the store's claim says another instance already fired it. */
export interface DispatchResult {
  readonly status: Exclude<FireStatus, 'missed'>;
  readonly reason?: string;
}

/** Claims the slot and starts the workflow (in the dev stack: the AWS dispatcher's own `dispatchFire`). */
export type FireDispatch = (fire: LocalFire) => Promise<DispatchResult>;

export interface LocalSchedulerProps {
  readonly dispatch: FireDispatch;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default 30 (see PrecisionTimer) */
  readonly wakeEarlyMs?: number;
  /** @default 2 (see PrecisionTimer) */
  readonly spinMs?: number;
  /**
   * Shortest rate accepted, in seconds. AWS refuses rates under a minute; benchmarks lower it.
   * @default 60
   */
  readonly minimumRateSeconds?: number;
  /**
   * An instant reached later than this (the process was suspended, the event loop blocked for long) is
   * recorded `missed` instead of fired late: Scheduler's retry policy drops events older than its
   * MaximumEventAgeInSeconds (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-retry-policy.html).
   * @default 60_000
   */
  readonly maxLatenessMs?: number;
}

export interface ScheduleStats {
  readonly scheduleId: string;
  readonly workflow: string;
  readonly enabled: boolean;
  readonly nextFireTime?: Date;
  readonly fires: number;
  readonly started: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly duplicates: number;
  readonly missed: number;
  readonly failed: number;
  readonly p50LatenessMs?: number;
  readonly p99LatenessMs?: number;
}

export interface LocalSchedulerEvents {
  fire: [FireRecord];
  /** A dispatch threw (the fire is recorded `failed`). */
  dispatchError: [unknown, LocalSchedule];
}

interface Armed {
  readonly schedule: LocalSchedule;
  readonly parsed: Schedule;
  readonly timezone: string;
  readonly start: Date;
  cancel?: Cancel;
  next?: number;
  /** Highest instant fired by this process: the in-memory half of the no-double-fire guard. */
  lastFired: number;
  readonly stats: MutableStats;
}

interface MutableStats {
  fires: number;
  started: number;
  skipped: Record<string, number>;
  duplicates: number;
  missed: number;
  failed: number;
  lateness: number[];
}

/** Lateness samples kept per schedule for the percentiles. */
const LATENESS_SAMPLES = 1000;

/**
 * Fires schedules at their instants, in their time zones, with EventBridge Scheduler's daylight-saving rules
 * (`nextFireTimes`). One timer per schedule, armed for its next instant and re-armed from the instant just
 * fired, never from "now", so lateness does not accumulate.
 *
 * No double fire: an instant fires at most once per process (in-memory guard), and the dispatch claims it
 * in the store (`claimFire`), so a second process on the same data, or a restart, cannot fire it again.
 *
 * Fires missed while the process was not running are not backfilled: a schedule is armed for its first
 * instant after `now`, as EventBridge Scheduler never fires an instant late after an outage of its target
 * beyond its retry window. While running, an instant reached late (blocked event loop) still fires, unless
 * later than `maxLatenessMs`, when it is recorded `missed`.
 */
export class LocalScheduler extends EventEmitter<LocalSchedulerEvents> {
  private readonly timer: PrecisionTimer;
  private readonly clock: Clock;
  private readonly armed = new Map<string, Armed>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Dispatches waiting for their turn of the event loop, with a function starting them at once. */
  private readonly deferred = new Map<Promise<void>, () => void>();
  private stopped = false;

  constructor(private readonly props: LocalSchedulerProps) {
    super();
    this.clock = props.clock ?? systemClock;
    this.timer = new PrecisionTimer({ clock: this.clock, wakeEarlyMs: props.wakeEarlyMs, spinMs: props.spinMs });
  }

  /**
   * Adds or replaces a schedule and arms it (unless disabled). Throws InvalidScheduleError for an expression
   * or time zone that cannot run. Replacing keeps the in-memory guard, so a replaced schedule does not
   * re-fire an instant already fired.
   */
  upsert(schedule: LocalSchedule): void {
    const timezone = schedule.timezone ?? 'UTC';
    const result = parseSchedule(schedule.expression, { timezone, minimumRateSeconds: this.props.minimumRateSeconds ?? 60 });
    if (!result.ok) throw new InvalidScheduleError(result.problems);
    const previous = this.armed.get(schedule.id);
    previous?.cancel?.();
    const state: Armed = {
      schedule,
      parsed: result.schedule,
      timezone,
      start: schedule.start ?? new Date(this.clock.now()),
      lastFired: previous?.lastFired ?? Number.NEGATIVE_INFINITY,
      stats: previous?.stats ?? { fires: 0, started: 0, skipped: {}, duplicates: 0, missed: 0, failed: 0, lateness: [] },
    };
    this.armed.set(schedule.id, state);
    if (schedule.enabled !== false && !this.stopped) this.arm(state, Math.max(this.clock.now(), state.lastFired));
  }

  /** Disarms and forgets a schedule; true when it was known. */
  remove(id: string): boolean {
    const state = this.armed.get(id);
    state?.cancel?.();
    return this.armed.delete(id);
  }

  has(id: string): boolean {
    return this.armed.has(id);
  }

  /** The next instant of every armed schedule. */
  nextFireTime(id: string): Date | undefined {
    const next = this.armed.get(id)?.next;
    return next === undefined ? undefined : new Date(next);
  }

  stats(): ScheduleStats[] {
    return [...this.armed.values()].map(({ schedule, stats, next }) => {
      const sorted = [...stats.lateness].sort((a, b) => a - b);
      return {
        scheduleId: schedule.id,
        workflow: schedule.workflow,
        enabled: schedule.enabled !== false,
        ...(next !== undefined ? { nextFireTime: new Date(next) } : {}),
        fires: stats.fires,
        started: stats.started,
        skipped: { ...stats.skipped },
        duplicates: stats.duplicates,
        missed: stats.missed,
        failed: stats.failed,
        ...(sorted.length ? { p50LatenessMs: percentile(sorted, 0.5), p99LatenessMs: percentile(sorted, 0.99) } : {}),
      };
    });
  }

  /** Resolves when every dispatch started so far has ended. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /** Disarms every schedule and waits for dispatches in flight; fires nothing afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const state of this.armed.values()) state.cancel?.();
    for (const start of this.deferred.values()) start(); // a fire already due is dispatched, not dropped
    await this.idle();
  }

  private arm(state: Armed, from: number): void {
    state.cancel = undefined;
    state.next = undefined;
    if (this.stopped || this.armed.get(state.schedule.id) !== state) return;
    const [next] = nextFireTimes(state.parsed, { from: new Date(from), count: 1, timezone: state.timezone, start: state.start });
    if (!next) return; // a one-time at() already past
    const instant = next.getTime();
    state.next = instant;
    state.cancel = this.timer.at(instant, () => this.fire(state, instant));
  }

  private fire(state: Armed, instant: number): void {
    if (this.stopped || this.armed.get(state.schedule.id) !== state) return;
    const firedAt = this.clock.now();
    // Re-arm first, from the instant (not from now): the next fire's timing owes nothing to this dispatch.
    const guardOk = instant > state.lastFired;
    if (guardOk) state.lastFired = instant;
    this.arm(state, instant);
    if (!guardOk) return;

    const fire: LocalFire = { schedule: state.schedule, scheduledTime: new Date(instant), firedAt };
    const latenessMs = firedAt - instant;
    if (latenessMs > (this.props.maxLatenessMs ?? 60_000)) {
      this.record(state, fire, { status: 'missed', reason: `reached ${Math.round(latenessMs)} ms late` }, 0);
      return;
    }
    // The dispatch begins on the next turn of the event loop: schedules due at the same instant all take
    // their fire time first, none waits behind another's claim and start.
    let begin!: () => void;
    const turn = new Promise<void>((resolve) => (begin = resolve));
    const handle = this.clock.setImmediate(begin);
    this.deferred.set(turn, () => {
      this.clock.clearImmediate(handle);
      begin();
    });
    const work = turn
      .then(() => {
        this.deferred.delete(turn);
        return this.props.dispatch(fire);
      })
      .then(
        (result) => this.record(state, fire, result, this.clock.now() - firedAt),
        (error: unknown) => {
          this.record(state, fire, { status: 'failed', reason: error instanceof Error ? error.message : String(error) }, this.clock.now() - firedAt);
          this.emit('dispatchError', error, state.schedule);
        },
      )
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private record(state: Armed, fire: LocalFire, result: { status: FireStatus; reason?: string }, dispatchMs: number): void {
    const stats = state.stats;
    const latenessMs = fire.firedAt - fire.scheduledTime.getTime();
    stats.fires++;
    if (result.status === 'started') stats.started++;
    else if (result.status === 'skipped') stats.skipped[result.reason ?? 'skipped'] = (stats.skipped[result.reason ?? 'skipped'] ?? 0) + 1;
    else if (result.status === 'duplicate') stats.duplicates++;
    else if (result.status === 'missed') stats.missed++;
    else stats.failed++;
    if (result.status !== 'missed') {
      stats.lateness.push(latenessMs);
      if (stats.lateness.length > LATENESS_SAMPLES) stats.lateness.shift();
    }
    this.emit('fire', {
      scheduleId: state.schedule.id,
      workflow: state.schedule.workflow,
      scheduledTime: fire.scheduledTime,
      latenessMs,
      dispatchMs,
      status: result.status,
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
    });
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
