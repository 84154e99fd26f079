/**
 * Wire shapes of approval tasks: what the compiled state sends the approvals function, the record it
 * keeps, and what `POST /approvals/{id}` and `GET /approvals` take and give. Declared once here for the
 * compiler, the function, the API and the client.
 */

/** The error a rejected (or expired) approval fails its task with. */
export const APPROVAL_REJECTED = 'stepflow.ApprovalRejected';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** `action: request`: sent by the `.waitForTaskToken` state with its token. */
export interface ApprovalRequest {
  readonly action: 'request';
  readonly token: string;
  readonly workflow: string;
  readonly task: string;
  readonly executionArn: string;
  readonly approvers?: string;
  readonly expiresSeconds: number;
  /** The state's EnteredTime. */
  readonly requestedAt: string;
}

/** `action: expire`: sent after the approval's state timed out. */
export interface ApprovalExpiry {
  readonly action: 'expire';
  readonly workflow: string;
  readonly task: string;
  readonly executionArn: string;
}

export interface ApprovalRecord {
  readonly id: string;
  readonly token: string;
  readonly workflow: string;
  readonly executionArn: string;
  readonly task: string;
  readonly approvers?: string;
  readonly requestedAt: string;
  readonly expiresAt: string;
  readonly status: ApprovalStatus;
  readonly decidedAt?: string;
  readonly reason?: string;
  readonly approvedBy?: string;
}

/** What the API shows of an approval: everything but its token. */
export type ApprovalView = Omit<ApprovalRecord, 'token'>;

/** `POST /approvals/{id}` body. */
export interface ApprovalDecision {
  readonly decision: 'approve' | 'reject';
  readonly reason?: string;
  readonly approvedBy?: string;
}

/** An approved task's output. */
export interface ApprovalOutput {
  readonly decision: 'approve';
  readonly reason?: string;
  readonly approvedBy?: string;
}
