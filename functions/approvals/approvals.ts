import type { ApprovalExpiry, ApprovalRecord, ApprovalRequest } from '../../core/contracts/approvals.ts';
import { approvalId } from '../../core/contracts/approval-id.ts';
import { NonRetriableError } from '../../core/errors.ts';
import type { ApprovalStore } from './approval-store.ts';

export interface ApprovalsDeps {
  readonly store: ApprovalStore;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/**
 * The approvals function, invoked by approval tasks: `request` records the pending approval with its
 * task token (the state then waits for POST /approvals/{id}); `expire`, after the state timed out, marks
 * it expired. Returns the record (the `.waitForTaskToken` state ignores it).
 */
export function createApprovals(deps: ApprovalsDeps) {
  const clock = deps.clock ?? (() => new Date());
  return async (event: unknown): Promise<ApprovalRecord | { id: string; expired: boolean }> => {
    const request = (event as { Payload?: unknown } | null)?.Payload ?? event;
    const action = (request as { action?: unknown } | null)?.action;
    if (action === 'request') return record(deps.store, request as ApprovalRequest);
    if (action === 'expire') {
      const { executionArn, task } = request as ApprovalExpiry;
      const id = approvalId(executionArn, task);
      const expired = await deps.store.decide(id, 'expired', { decidedAt: clock().toISOString(), reason: 'expired' });
      return { id, expired };
    }
    throw new NonRetriableError(`approvals function: unknown action ${JSON.stringify(action)}`);
  };
}

async function record(store: ApprovalStore, request: ApprovalRequest): Promise<ApprovalRecord> {
  for (const key of ['token', 'workflow', 'task', 'executionArn', 'requestedAt'] as const) {
    if (typeof request[key] !== 'string' || !request[key]) throw new NonRetriableError(`approvals function: "${key}" is missing from the request`);
  }
  const requested = Date.parse(request.requestedAt);
  const record: ApprovalRecord = {
    id: approvalId(request.executionArn, request.task),
    token: request.token,
    workflow: request.workflow,
    executionArn: request.executionArn,
    task: request.task,
    ...(request.approvers !== undefined ? { approvers: request.approvers } : {}),
    requestedAt: new Date(requested).toISOString(),
    expiresAt: new Date(requested + request.expiresSeconds * 1000).toISOString(),
    status: 'pending',
  };
  await store.put(record);
  return record;
}
