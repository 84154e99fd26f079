import { NonRetriableError } from '../../core/errors.ts';
import {
  COMPENSATION_FAILED,
  FAILURE_KEY,
  completionKey,
  type CompensationOutcome,
  type OrderRequest,
  type OrderResponse,
  type PendingCompensation,
  type ReportRequest,
  type SagaReport,
} from '../../core/contracts/saga.ts';

/**
 * The saga function: the two steps of a failed workflow's compensation path that ASL cannot express.
 * - `order`: the compensable tasks that completed, most recently completed first. Each task's
 *   completion time is recorded by a Pass state right after it (its `$$.State.EnteredTime`), so tasks
 *   of parallel branches are ordered by when they really completed; equal times (milliseconds) fall
 *   back to the static order, which is completion order within a series.
 * - `report`: what the compensations came to, and the Error and Cause the execution fails with.
 * Pure computation: no AWS call, nothing kept.
 */
export async function handler(event: unknown): Promise<OrderResponse | SagaReport> {
  const request = event as Partial<OrderRequest | ReportRequest> | null;
  if (request?.action === 'order') return order(request as OrderRequest);
  if (request?.action === 'report') return report(request as ReportRequest);
  throw new NonRetriableError(`saga function: unknown action ${JSON.stringify(request?.action)}`);
}

export function order(request: OrderRequest): OrderResponse {
  const data = request.data ?? {};
  const failure = (data[FAILURE_KEY] as OrderResponse['failure'] | undefined) ?? { Error: 'States.Runtime', Cause: 'the failure was not recorded' };
  const completed: (PendingCompensation & { at: string; order: number })[] = [];
  for (const { task, order: rank } of request.tasks) {
    const record = data[completionKey(task)] as { at?: string } | undefined;
    if (!record) continue;
    completed.push({ task, id: `${request.execution}:${task}`, result: data[task] ?? null, at: record.at ?? '', order: rank });
  }
  completed.sort((a, b) => (a.at === b.at ? b.order - a.order : Date.parse(b.at) - Date.parse(a.at)));
  return { failure: { Error: failure.Error, ...(failure.Cause !== undefined ? { Cause: failure.Cause } : {}) }, compensations: completed.map(({ task, id, result }) => ({ task, id, result })) };
}

export function report(request: ReportRequest): SagaReport {
  const failure = request.failure;
  const compensations: CompensationOutcome[] = (request.compensations ?? []).map((ran) => {
    const id = `${request.execution}:${ran.task}`;
    if (ran.outcome === 'compensated') return { task: ran.task, id, outcome: 'compensated' };
    return { task: ran.task, id, outcome: 'failed', error: ran.failure?.Error ?? 'States.Runtime', ...(ran.failure?.Cause !== undefined ? { cause: ran.failure.Cause } : {}) };
  });
  const failed = compensations.filter((c) => c.outcome === 'failed');
  if (failed.length === 0) return { error: failure.Error, cause: failure.Cause ?? '', failure, compensations };
  const cause = JSON.stringify({
    message: `compensation of ${failed.map((c) => `"${c.task}"`).join(', ')} failed after its retries`,
    error: failure.Error,
    cause: failure.Cause ?? null,
    compensations,
  });
  return { error: COMPENSATION_FAILED, cause, failure, compensations };
}
