import { ApiTransport, enc, type ApiClientOptions } from './api-transport.ts';
import type { ScheduleCondition } from './cron-task-scheduler.ts';

export interface PublishedEvent {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  /** @default the bus the scheduler was made with, else the project bus */
  readonly bus?: string;
  readonly resources?: readonly string[];
}

/** How an event becomes the execution input. @default the whole event */
export type EventInputSetting =
  | { readonly kind: 'event' }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'template'; readonly template: unknown };

export interface OnOptions {
  /** The rule is named `<workflow>.<name>`. @default a generated name */
  readonly name?: string;
  readonly input?: EventInputSetting;
  readonly condition?: ScheduleCondition;
}

export interface EventTaskSchedulerOptions extends ApiClientOptions {
  /** @default the project bus */
  readonly bus?: string;
}

/**
 * Events that start workflows, on EventBridge through the stepflow API: `publish` puts an event on the
 * bus, `on(pattern, workflow)` adds a rule starting the workflow for every matching event, `off` removes it.
 */
export class EventTaskScheduler {
  private readonly api: ApiTransport;
  private readonly bus?: string;

  constructor(options: EventTaskSchedulerOptions = {}) {
    this.api = new ApiTransport(options);
    this.bus = options.bus;
  }

  /** Returns the event id. Over the minute's event cap: StepflowApiError 429 (see its Retry-After in the message). */
  async publish(event: PublishedEvent): Promise<string> {
    const bus = event.bus ?? this.bus;
    const body = { ...event, ...(bus ? { bus } : {}), ...(event.resources ? { resources: [...event.resources] } : {}) };
    return (await this.api.request<{ eventId: string }>('POST', 'events', body)).eventId;
  }

  /** Starts `workflow` for each event matching the EventBridge pattern; returns the rule's name. */
  async on(pattern: Record<string, unknown>, workflow: string, options: OnOptions = {}): Promise<string> {
    const created = await this.api.request<{ name: string }>('POST', 'event-rules', {
      workflow,
      pattern,
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(this.bus ? { bus: this.bus } : {}),
      ...(options.input ? { input: options.input } : {}),
      ...(options.condition ? { condition: options.condition } : {}),
    });
    return created.name;
  }

  /** Removes a rule `on` created. */
  async off(ruleName: string): Promise<void> {
    const suffix = this.bus ? `?bus=${enc(this.bus)}` : '';
    await this.api.request('DELETE', `event-rules/${enc(ruleName)}${suffix}`);
  }
}
