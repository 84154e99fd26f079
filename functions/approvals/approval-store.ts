import type { ApprovalRecord, ApprovalStatus } from '../../core/contracts/approvals.ts';

/** Where approvals are kept: the single table on AWS and in the dev stack, memory in tests. */
export interface ApprovalStore {
  /** Records a pending approval (again, with its new token, when Step Functions retries the request). */
  put(record: ApprovalRecord): Promise<void>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  /** Sets the decision if the approval is still pending; false when it was decided (or expired) already. */
  decide(id: string, status: Exclude<ApprovalStatus, 'pending'>, fields: { decidedAt: string; reason?: string; approvedBy?: string }): Promise<boolean>;
  /** Approvals in one status, oldest request first. */
  list(status: ApprovalStatus): Promise<ApprovalRecord[]>;
}

export class MemoryApprovalStore implements ApprovalStore {
  private readonly records = new Map<string, ApprovalRecord>();

  async put(record: ApprovalRecord): Promise<void> {
    this.records.set(record.id, record);
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    return this.records.get(id);
  }

  async decide(id: string, status: Exclude<ApprovalStatus, 'pending'>, fields: { decidedAt: string; reason?: string; approvedBy?: string }): Promise<boolean> {
    const record = this.records.get(id);
    if (!record || record.status !== 'pending') return false;
    this.records.set(id, { ...record, status, ...fields });
    return true;
  }

  async list(status: ApprovalStatus): Promise<ApprovalRecord[]> {
    return [...this.records.values()].filter((r) => r.status === status).sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  }
}
