import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import { APPROVAL_REJECTED, type ApprovalRecord } from '../../../core/contracts/approvals.ts';
import { approvalId } from '../../../core/contracts/approval-id.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import { decideApproval, listApprovals } from '../../../functions/api/operations/decide-approval.ts';
import type { ApiDeps } from '../../../functions/api/deps.ts';
import { sagaLog } from '../fixtures/handlers/saga.ts';

const DEFINITIONS = fileURLToPath(new URL('../fixtures/definitions/', import.meta.url));

function compiled(yaml: string) {
  const { definition, diagnostics } = loadDefinitionText(yaml, `${DEFINITIONS}approvals.yaml`);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition);
}

const engine = new LocalEngine({
  retryIntervalMs: 0,
  plans: [
    compiled(`workflow:
  name: release
  tasks:
    - { name: build, handler: ../handlers/pipeline.ts#list }
    - { name: sign_off, type: approval, approvers: "release managers", expires: 24h, depends_on: [build] }
    - { name: ship, handler: ../handlers/pipeline.ts#list, depends_on: [sign_off] }
`),
    compiled(`workflow:
  name: hasty
  tasks:
    - { name: sign_off, type: approval, expires: 1s }
`),
    compiled(`workflow:
  name: forgiving
  tasks:
    - { name: build, handler: ../handlers/pipeline.ts#list }
    - { name: sign_off, type: approval, expires: 24h, on_failure: continue, depends_on: [build] }
    - { name: ship, handler: ../handlers/pipeline.ts#list, depends_on: [sign_off] }
`),
    compiled(`workflow:
  name: hasty_fallback
  tasks:
    - { name: sign_off, type: approval, expires: 1s, on_failure: escalate }
    - { name: escalate, handler: ../handlers/pipeline.ts#list }
`),
    compiled(`workflow:
  name: booking
  tasks:
    - { name: reserve, handler: ../handlers/saga.ts#step, compensate: ../handlers/saga.ts#undo }
    - { name: charge, handler: ../handlers/saga.ts#step, compensate: ../handlers/saga.ts#undo, depends_on: [reserve] }
    - { name: sign_off, type: approval, expires: 1s, depends_on: [charge] }
    - { name: confirm, handler: ../handlers/saga.ts#step, depends_on: [sign_off] }
`),
    compiled(`workflow:
  name: booking_review
  tasks:
    - { name: reserve, handler: ../handlers/saga.ts#step, compensate: ../handlers/saga.ts#undo }
    - { name: sign_off, type: approval, expires: 24h, depends_on: [reserve] }
`),
  ],
});
afterAll(() => engine.close());

const NOW = new Date('2026-12-02T10:00:00.000Z');
const deps = {
  approvals: engine.approvalStore,
  clock: () => NOW,
  taskTokens: {
    succeed: async (token: string, output: string) => engine.sendTaskSuccess(token, output),
    fail: async (token: string, error?: string, cause?: string) => engine.sendTaskFailure(token, error, cause),
    heartbeat: async (token: string) => engine.sendTaskHeartbeat(token),
  },
} as unknown as ApiDeps;

/** The approval once the execution has asked for it. */
async function pending(executionArn: string, task: string): Promise<ApprovalRecord> {
  const id = approvalId(executionArn, task);
  for (let i = 0; i < 500; i++) {
    const record = await engine.approvalStore.get(id);
    if (record) return record;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`approval ${id} was never requested`);
}

async function start(workflow: string) {
  return (await engine.start(workflow, { run: workflow, items: [1] })).executionArn;
}

describe('approval tasks offline', () => {
  it('records the pending approval, and an approval lets the workflow go on with the decision as the result', async () => {
    const arn = await start('release');
    const record = await pending(arn, 'sign_off');
    expect(record).toMatchObject({ workflow: 'release', task: 'sign_off', executionArn: arn, approvers: 'release managers', status: 'pending' });
    expect(Date.parse(record.expiresAt) - Date.parse(record.requestedAt)).toBe(24 * 3600 * 1000);
    expect(record.token.length).toBeGreaterThan(0);

    const listed = await listApprovals(deps, { status: 'pending' });
    expect((listed.body as { approvals: { id: string; token?: string }[] }).approvals).toEqual([expect.objectContaining({ id: record.id })]);
    expect(JSON.stringify(listed.body)).not.toContain(record.token);

    const answer = await decideApproval(deps, record.id, { decision: 'approve', reason: 'looks good', approvedBy: 'ada' });
    expect(answer.body).toMatchObject({ status: 'approved', approvedBy: 'ada', decidedAt: NOW.toISOString() });
    const done = await engine.wait(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).sign_off).toEqual({ decision: 'approve', reason: 'looks good', approvedBy: 'ada' });

    await expect(decideApproval(deps, record.id, { decision: 'reject' })).rejects.toMatchObject({ statusCode: 409, code: 'approval_decided' });
    await expect(decideApproval(deps, '0'.repeat(32), { decision: 'approve' })).rejects.toMatchObject({ statusCode: 404 });
    await expect(decideApproval(deps, record.id, { decision: 'maybe' })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('a rejection fails the workflow with stepflow.ApprovalRejected and the reason', async () => {
    const arn = await start('release');
    const record = await pending(arn, 'sign_off');
    await decideApproval(deps, record.id, { decision: 'reject', reason: 'tests are red' });
    const done = await engine.wait(arn);
    expect({ status: done.status, error: done.error, cause: done.cause }).toEqual({ status: 'FAILED', error: APPROVAL_REJECTED, cause: 'tests are red' });
    expect((await engine.approvalStore.get(record.id))?.status).toBe('rejected');
  });

  it('an approval past its expiry is a rejection with reason expired, and its record says expired', async () => {
    const arn = await start('hasty');
    const record = await pending(arn, 'sign_off');
    const done = await engine.wait(arn);
    expect({ status: done.status, error: done.error, cause: done.cause }).toEqual({ status: 'FAILED', error: APPROVAL_REJECTED, cause: 'expired' });
    expect(await engine.approvalStore.get(record.id)).toMatchObject({ status: 'expired', reason: 'expired' });
    await expect(decideApproval(deps, record.id, { decision: 'approve' })).rejects.toMatchObject({ statusCode: 409 });
  });

  it('on_failure: continue records a rejection as { error, cause } and goes on', async () => {
    const arn = await start('forgiving');
    const record = await pending(arn, 'sign_off');
    await decideApproval(deps, record.id, { decision: 'reject', reason: 'not this week' });
    const done = await engine.wait(arn);
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(output.sign_off).toEqual({ error: APPROVAL_REJECTED, cause: 'not this week' });
    expect(output.ship).toBeDefined();
  });

  it('an expired approval with a fallback task runs the fallback, the expiry recorded', async () => {
    const arn = await start('hasty_fallback');
    const record = await pending(arn, 'sign_off');
    const done = await engine.wait(arn);
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(output.sign_off).toEqual({ error: APPROVAL_REJECTED, cause: 'expired' });
    expect(output.escalate).toBeDefined();
    expect((await engine.approvalStore.get(record.id))?.status).toBe('expired');
  });

  it('inside a saga, an expired approval runs the compensations (latest first), then fails with the expiry', async () => {
    const run = 'booking-expired';
    const { executionArn } = await engine.start('booking', { run }, { name: run });
    const done = await engine.wait(executionArn);
    expect({ status: done.status, error: done.error, cause: done.cause }).toEqual({ status: 'FAILED', error: APPROVAL_REJECTED, cause: 'expired' });
    const log = sagaLog(run);
    expect(log.completed).toEqual(['reserve', 'charge']);
    expect(log.calls.map((c) => c.task)).toEqual(['charge', 'reserve']);
  });

  it('inside a saga, a rejected approval runs the compensations, then fails with the reason', async () => {
    const run = 'booking-rejected';
    const { executionArn } = await engine.start('booking_review', { run }, { name: run });
    const record = await pending(executionArn, 'sign_off');
    await decideApproval(deps, record.id, { decision: 'reject', reason: 'overbooked' });
    const done = await engine.wait(executionArn);
    expect({ status: done.status, error: done.error, cause: done.cause }).toEqual({ status: 'FAILED', error: APPROVAL_REJECTED, cause: 'overbooked' });
    expect(sagaLog(run).calls.map((c) => c.task)).toEqual(['reserve']);
  });
});
