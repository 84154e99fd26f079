import * as z from 'zod';
import { APPROVAL_REJECTED, APPROVAL_STATUSES, type ApprovalOutput, type ApprovalRecord, type ApprovalView } from '../../../core/contracts/approvals.ts';
import { Conflict, HttpError, NotFound } from '../../../core/errors.ts';
import type { ApiDeps } from '../deps.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';

/** Approval ids are hex hashes of an execution and a task (core/contracts/approvals.ts). */
export const approvalPath = z.strictObject({ id: z.string().regex(/^[0-9a-f]{32}$/, { error: 'an approval id is 32 hexadecimal characters' }) });

/** Reasons and names travel in a Step Functions cause (at most 32768 characters: API_SendTaskFailure.html). */
export const approvalDecision = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: z.string().max(4096).optional(),
  approvedBy: z.string().min(1).max(256).optional(),
});

export const approvalsQuery = z.strictObject({ status: z.enum(APPROVAL_STATUSES).optional() });

/**
 * `POST /approvals/{id}`: approve (SendTaskSuccess, the task's result `{ decision, reason, approvedBy }`)
 * or reject (SendTaskFailure with stepflow.ApprovalRejected and the reason as cause). The record is
 * decided first, conditionally on its being pending, so two answers never both reach Step Functions:
 * an unknown approval is 404, a decided or expired one 409.
 */
export async function decideApproval(deps: ApiDeps, id: string, body: unknown): Promise<ApiResult> {
  const approvals = approvalsOf(deps);
  const decision = parseRequest(approvalDecision, body ?? {}, 'body');
  const record = await approvals.get(id);
  if (!record) throw new NotFound(`no approval ${id}`, { code: 'unknown_approval' });
  if (record.status !== 'pending') throw new Conflict(`approval ${id} is already ${record.status}`, { code: 'approval_decided' });
  const decidedAt = deps.clock().toISOString();
  const status = decision.decision === 'approve' ? 'approved' : 'rejected';
  const fields = { decidedAt, ...(decision.reason !== undefined ? { reason: decision.reason } : {}), ...(decision.approvedBy !== undefined ? { approvedBy: decision.approvedBy } : {}) };
  if (!(await approvals.decide(id, status, fields))) throw new Conflict(`approval ${id} was decided meanwhile`, { code: 'approval_decided' });
  const tokens = deps.taskTokens;
  if (!tokens) throw new HttpError(501, 'not_implemented', 'task tokens are not configured on this API');
  try {
    if (status === 'approved') {
      const output: ApprovalOutput = { decision: 'approve', ...(decision.reason !== undefined ? { reason: decision.reason } : {}), ...(decision.approvedBy !== undefined ? { approvedBy: decision.approvedBy } : {}) };
      await tokens.succeed(record.token, JSON.stringify(output));
    } else {
      await tokens.fail(record.token, APPROVAL_REJECTED, decision.reason ?? 'rejected');
    }
  } catch (error) {
    const name = (error as Error).name;
    // The task has ended (it expired while this answer was on its way): the answer came too late.
    if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') {
      throw new HttpError(410, 'approval_ended', `the task of approval ${id} has ended (expired or its execution stopped)`);
    }
    throw error;
  }
  return { statusCode: 200, body: view({ ...record, status, ...fields }) };
}

/** `GET /approvals?status=pending|approved|rejected|expired` (default pending). */
export async function listApprovals(deps: ApiDeps, query: unknown): Promise<ApiResult> {
  const { status = 'pending' } = parseRequest(approvalsQuery, query ?? {}, 'query');
  const records = await approvalsOf(deps).list(status);
  return { statusCode: 200, body: { approvals: records.map(view) } };
}

function approvalsOf(deps: ApiDeps) {
  if (!deps.approvals) throw new HttpError(501, 'not_implemented', 'approvals are not configured on this API');
  return deps.approvals;
}

/** Everything but the token: it lets whoever holds it answer the task. */
function view({ token: _token, ...rest }: ApprovalRecord): ApprovalView {
  return rest;
}
