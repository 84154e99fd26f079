import type { ApprovalStatus, ApprovalView } from '../core/contracts/approvals.ts';
import { ApiTransport, enc, type ApiClientOptions } from './api-transport.ts';

export type { ApprovalStatus, ApprovalView } from '../core/contracts/approvals.ts';

export type ApprovalManagerOptions = ApiClientOptions;

/** Who decides and why: shown with the decision, and (for an approval) the task's result. */
export interface DecisionOptions {
  readonly reason?: string;
  readonly approvedBy?: string;
}

/** Approval tasks through the stepflow API (`/approvals`), offline or on AWS. */
export class ApprovalManager {
  private readonly transport: ApiTransport;

  constructor(options: ApprovalManagerOptions = {}) {
    this.transport = new ApiTransport(options);
  }

  /** Approvals waiting for a decision, optionally only those of one workflow. */
  async listPending(workflow?: string): Promise<ApprovalView[]> {
    const approvals = await this.list('pending');
    return workflow === undefined ? approvals : approvals.filter((a) => a.workflow === workflow);
  }

  /** Approvals with that status. @default 'pending' */
  async list(status: ApprovalStatus = 'pending'): Promise<ApprovalView[]> {
    return (await this.transport.request<{ approvals: ApprovalView[] }>('GET', `approvals?status=${enc(status)}`)).approvals;
  }

  /** Approves: the task's result is `{ decision: 'approve', reason, approvedBy }` and the workflow goes on. */
  approve(id: string, options: DecisionOptions = {}): Promise<ApprovalView> {
    return this.decide(id, 'approve', options);
  }

  /** Rejects: the task fails with stepflow.ApprovalRejected and the reason as its cause. */
  reject(id: string, options: DecisionOptions = {}): Promise<ApprovalView> {
    return this.decide(id, 'reject', options);
  }

  private decide(id: string, decision: 'approve' | 'reject', options: DecisionOptions): Promise<ApprovalView> {
    const body = { decision, ...(options.reason !== undefined ? { reason: options.reason } : {}), ...(options.approvedBy !== undefined ? { approvedBy: options.approvedBy } : {}) };
    return this.transport.request<ApprovalView>('POST', `approvals/${enc(id)}`, body);
  }
}
