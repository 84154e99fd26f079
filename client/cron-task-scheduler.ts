import type { FireRecord, ScheduleView } from '../core/contracts/schedule-record.ts';
import { ApiTransport, enc, type ApiClientOptions } from './api-transport.ts';
import { StepflowApiError } from './errors.ts';

/** A condition checked at fire time (see the definition's `condition`). */
export interface ScheduleCondition {
  readonly flag?: { readonly name: string; readonly equals?: boolean | string | number };
  readonly match?: Record<string, unknown>;
}

/** One job: exactly one of `cron`, `rate` or `at`, and the workflow (`task`) it starts. */
export interface ScheduleRequest {
  /** Unix cron (`0 0 * * *`) or AWS `cron(...)`. */
  readonly cron?: string;
  /** `5 minutes` or `rate(5 minutes)`; at least one minute. */
  readonly rate?: string;
  /** A local `yyyy-mm-ddThh:mm:ss`, once. */
  readonly at?: string;
  /** The workflow to start. */
  readonly task: string;
  /** The execution input. @default {} */
  readonly input?: Record<string, unknown>;
  /**
   * Per-job options, e.g. `{ retries: 3, timeout: 3600 }`. Retries and timeouts are the workflow's own
   * (its definition); these are passed to every execution in its input, under `options`.
   */
  readonly options?: Record<string, unknown>;
  /** Names the job: its id becomes `<task>.<name>`. @default a generated name */
  readonly name?: string;
  /** @default the scheduler's timezone */
  readonly timezone?: string;
  readonly condition?: ScheduleCondition;
  /** @default true */
  readonly enabled?: boolean;
}

/** A job as the API lists it. */
export type ScheduledJob = ScheduleView;

/** One fire of a job. */
export type JobFire = Omit<FireRecord, 'scheduleId' | 'eventId'>;

/** A job as `get` shows it: with its last fires and next fire times. */
export interface JobDetails extends ScheduledJob {
  readonly fires: JobFire[];
  readonly nextFireTimes: string[];
}

export interface CronTaskSchedulerOptions extends ApiClientOptions {
  /** IANA time zone of jobs that name none. @default 'UTC' */
  readonly timezone?: string;
  /**
   * Most jobs this scheduler lets exist (checked before creating one). The API also enforces each
   * workflow's `max_jobs`. @default no client-side limit
   */
  readonly maxJobs?: number;
}

/**
 * Cron, rate and one-time jobs that start workflows, on EventBridge Scheduler through the stepflow API:
 *
 * ```ts
 * const scheduler = new CronTaskScheduler({ timezone: 'UTC', maxJobs: 1000 });
 * const jobId = await scheduler.schedule({ cron: '0 0 * * *', task: 'daily_backup', options: { retries: 3, timeout: 3600 } });
 * ```
 */
export class CronTaskScheduler {
  private readonly api: ApiTransport;
  private readonly timezone: string;
  private readonly maxJobs?: number;

  constructor(options: CronTaskSchedulerOptions = {}) {
    this.api = new ApiTransport(options);
    this.timezone = options.timezone ?? 'UTC';
    this.maxJobs = options.maxJobs;
  }

  /** Creates the job; returns its id. Invalid expressions and time zones are a StepflowApiError (400) listing every problem. */
  async schedule(request: ScheduleRequest): Promise<string> {
    if (this.maxJobs !== undefined) {
      const count = (await this.list()).length;
      if (count >= this.maxJobs) {
        throw new StepflowApiError(409, 'max_jobs_reached', `${count} jobs exist; this scheduler's maxJobs is ${this.maxJobs}`);
      }
    }
    const input = request.options === undefined ? (request.input ?? {}) : { ...request.input, options: request.options };
    const created = await this.api.request<{ scheduleId: string }>('POST', 'schedules', {
      workflow: request.task,
      ...(request.cron !== undefined ? { cron: request.cron } : {}),
      ...(request.rate !== undefined ? { rate: request.rate } : {}),
      ...(request.at !== undefined ? { at: request.at } : {}),
      timezone: request.timezone ?? this.timezone,
      input,
      ...(request.name !== undefined ? { name: request.name } : {}),
      ...(request.condition !== undefined ? { condition: request.condition } : {}),
      ...(request.enabled !== undefined ? { enabled: request.enabled } : {}),
    });
    return created.scheduleId;
  }

  /** Every job (declared and API ones), or one workflow's. */
  async list(options: { readonly task?: string } = {}): Promise<ScheduledJob[]> {
    const suffix = options.task ? `?workflow=${enc(options.task)}` : '';
    return (await this.api.request<{ items: ScheduledJob[] }>('GET', `schedules${suffix}`)).items;
  }

  get(jobId: string): Promise<JobDetails> {
    return this.api.request('GET', `schedules/${enc(jobId)}`);
  }

  /** Deletes a job created through the API; a declared one is a StepflowApiError (409). */
  async unschedule(jobId: string): Promise<void> {
    await this.api.request('DELETE', `schedules/${enc(jobId)}`);
  }
}
