/** The stepflow REST API as the console uses it; `base` is '' when served by the dev stack. */
export type { ExecutionView } from '../core/contracts/execution-view.ts';
export type { TaskState as TaskView } from '../core/contracts/task-state.ts';
import type { ExecutionView } from '../core/contracts/execution-view.ts';
import type { FireRecord, ScheduleView } from '../core/contracts/schedule-record.ts';
export type { FireRecord, ScheduleView } from '../core/contracts/schedule-record.ts';
import type { ApprovalStatus, ApprovalView } from '../core/contracts/approvals.ts';
export type { ApprovalStatus, ApprovalView } from '../core/contracts/approvals.ts';

/** `GET /schedules/{id}`: the schedule, its last fires (newest first) and its next fire times. */
export interface ScheduleDetails extends ScheduleView {
  readonly fires: readonly FireRecord[];
  readonly nextFireTimes: readonly string[];
}

/** One rule of `GET /event-rules`. */
export interface EventRuleView {
  readonly name: string;
  readonly bus: string;
  readonly workflow: string | null;
  readonly trigger: string | null;
  readonly pattern: unknown;
  readonly state: string;
  readonly origin: 'declared' | 'api';
  readonly deliveries: readonly FireRecord[];
}

export interface HistoryEventView {
  readonly id: number;
  readonly previousEventId: number;
  readonly type: string;
  readonly timestamp: string;
  readonly [details: string]: unknown;
}

export type LogLine = Readonly<Record<string, unknown>> & { readonly message?: string; readonly level?: string; readonly time?: string; readonly task?: string };

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export function createApi(base = '') {
  const call = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(base + path, init);
    const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    if (!response.ok) throw new ApiError(response.status, body.error?.message ?? `${response.status} ${response.statusText}`);
    return body as T;
  };
  const execution = (workflow: string, id: string) => `/workflows/${encodeURIComponent(workflow)}/executions/${encodeURIComponent(id)}`;
  return {
    workflows: () => call<{ items: { name: string; mode: string }[] }>('/workflows'),
    graphs: () => call<Record<string, string>>('/console/graphs.json').catch(() => ({}) as Record<string, string>),
    executions: (workflow: string, status?: string) =>
      call<{ items: ExecutionView[] }>(`/workflows/${encodeURIComponent(workflow)}/executions?limit=100${status ? `&status=${status}` : ''}`),
    execution: (workflow: string, id: string) => call<ExecutionView>(execution(workflow, id)),
    history: async (workflow: string, id: string) => {
      const events: HistoryEventView[] = [];
      let nextToken: string | undefined;
      do {
        const page = await call<{ events: HistoryEventView[]; nextToken?: string }>(
          `${execution(workflow, id)}/history?limit=1000${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`,
        );
        events.push(...page.events);
        nextToken = page.nextToken;
      } while (nextToken);
      return events;
    },
    logs: (workflow: string, id: string) => call<{ lines: LogLine[] }>(`${execution(workflow, id)}/logs`).then((b) => b.lines, () => [] as LogLine[]),
    start: (workflow: string, input: unknown) =>
      call<{ executionId: string }>(`/workflows/${encodeURIComponent(workflow)}/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input }),
      }),
    cancel: (workflow: string, id: string) => call<unknown>(`${execution(workflow, id)}/cancel`, { method: 'POST' }),
    redrive: (workflow: string, id: string) => call<unknown>(`${execution(workflow, id)}/redrive`, { method: 'POST' }),
    schedules: () => call<{ items: ScheduleView[] }>('/schedules'),
    schedule: (id: string) => call<ScheduleDetails>(`/schedules/${encodeURIComponent(id)}`),
    eventRules: () => call<{ items: EventRuleView[] }>('/event-rules'),
    approvals: (status: ApprovalStatus = 'pending') => call<{ approvals: ApprovalView[] }>(`/approvals?status=${status}`).then((b) => b.approvals),
    decide: (id: string, decision: 'approve' | 'reject', reason?: string) =>
      call<ApprovalView>(`/approvals/${encodeURIComponent(id)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ decision, ...(reason ? { reason } : {}) }),
      }),
  };
}

export type Api = ReturnType<typeof createApi>;
