import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalManager, StepflowApiError, WorkflowEngine } from '../../client/index.ts';
import { startDevStack, type DevStack } from '../../local/dev-stack.ts';

const definitions = fileURLToPath(new URL('../local/fixtures/observed', import.meta.url));

describe('ApprovalManager over the HTTP API', () => {
  let stack: DevStack;
  let approvals: ApprovalManager;
  let engine: WorkflowEngine;

  beforeAll(async () => {
    stack = await startDevStack({ definitionsDir: definitions, dataDir: mkdtempSync(join(tmpdir(), 'stepflow-approvals-client-')), port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => undefined, taskLog: () => undefined });
    approvals = new ApprovalManager({ baseUrl: stack.url });
    engine = new WorkflowEngine({ baseUrl: stack.url, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))) });
  }, 60_000);
  afterAll(async () => stack?.stop());

  async function pendingOf(executionId: string) {
    for (let i = 0; i < 500; i++) {
      const found = (await approvals.listPending('review')).find((a) => a.executionArn.endsWith(`:${executionId}`));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no pending approval for ${executionId}`);
  }

  it('lists a pending approval (never its token) and approves it: the workflow goes on with the decision', async () => {
    const executionId = await engine.execute('review', { doc: 1 });
    const pending = await pendingOf(executionId);
    expect(pending).toMatchObject({ workflow: 'review', task: 'sign_off', approvers: 'editors', status: 'pending' });
    expect(pending).not.toHaveProperty('token');
    expect(await approvals.listPending('orders')).toEqual([]);

    const decided = await approvals.approve(pending.id, { reason: 'reads well', approvedBy: 'ada' });
    expect(decided).toMatchObject({ id: pending.id, status: 'approved', reason: 'reads well', approvedBy: 'ada' });
    const done = await engine.wait('review', executionId, { pollMs: 20 });
    expect(done.status).toBe('SUCCEEDED');
    expect((done.output as { sign_off: unknown }).sign_off).toEqual({ decision: 'approve', reason: 'reads well', approvedBy: 'ada' });
    expect((await approvals.list('approved')).map((a) => a.id)).toContain(pending.id);
  });

  it('rejects with a reason: the workflow fails with it; deciding again is a 409', async () => {
    const executionId = await engine.execute('review', { doc: 2 });
    const pending = await pendingOf(executionId);
    expect(await approvals.reject(pending.id, { reason: 'too long' })).toMatchObject({ status: 'rejected', reason: 'too long' });
    const done = await engine.wait('review', executionId, { pollMs: 20 });
    expect(done).toMatchObject({ status: 'FAILED', error: 'stepflow.ApprovalRejected', cause: 'too long' });
    const again = await approvals.approve(pending.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(StepflowApiError);
    expect(again).toMatchObject({ status: 409, code: 'approval_decided' });
  });
});
