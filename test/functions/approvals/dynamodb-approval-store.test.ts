import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../../core/contracts/approvals.ts';
import { approvalId } from '../../../core/contracts/approval-id.ts';
import { createApprovals } from '../../../functions/approvals/approvals.ts';
import { DynamoDbApprovalStore } from '../../../functions/approvals/dynamodb-approval-store.ts';
import { countingDocumentClient, createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';

describe('approvals on the table', () => {
  let dynamo: LocalDynamo;
  let store: DynamoDbApprovalStore;
  beforeAll(async () => {
    dynamo = await startDynalite();
    store = new DynamoDbApprovalStore({ client: countingDocumentClient(dynamo.endpoint).client, tableName: await createExecutionsTable(dynamo.endpoint) });
  });
  afterAll(() => dynamo.close());

  const request = (execution: string, requestedAt: string) => ({
    action: 'request', token: `token-${execution}`, workflow: 'release', task: 'sign_off',
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:release:${execution}`, approvers: 'leads', expiresSeconds: 3600, requestedAt,
  });

  it('the approvals function records a pending approval; a decision holds only once; listings go by status, oldest first', async () => {
    const approvals = createApprovals({ store, clock: () => new Date('2026-01-01T02:00:00.000Z') });
    const first = await approvals({ Payload: request('one', '2026-01-01T00:00:00.000Z') }) as ApprovalRecord;
    const second = await approvals(request('two', '2025-12-31T23:00:00.000Z')) as ApprovalRecord;
    expect(first).toMatchObject({ id: approvalId(request('one', '').executionArn, 'sign_off'), status: 'pending', expiresAt: '2026-01-01T01:00:00.000Z' });
    expect(await store.get(first.id)).toEqual(first);
    expect((await store.list('pending')).map((r) => r.id)).toEqual([second.id, first.id]);

    expect(await store.decide(first.id, 'approved', { decidedAt: '2026-01-01T00:30:00.000Z', approvedBy: 'ada' })).toBe(true);
    expect(await store.decide(first.id, 'rejected', { decidedAt: '2026-01-01T00:31:00.000Z' })).toBe(false);
    expect(await store.get(first.id)).toMatchObject({ status: 'approved', approvedBy: 'ada' });
    expect((await store.list('approved')).map((r) => r.id)).toEqual([first.id]);

    expect(await approvals({ action: 'expire', workflow: 'release', task: 'sign_off', executionArn: request('two', '').executionArn })).toEqual({ id: second.id, expired: true });
    expect(await store.get(second.id)).toMatchObject({ status: 'expired', reason: 'expired', decidedAt: '2026-01-01T02:00:00.000Z' });
    expect(await store.list('pending')).toEqual([]);
    await expect(approvals({ action: 'nope' })).rejects.toThrow('unknown action');
  });
});
