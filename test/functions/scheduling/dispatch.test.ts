import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchDeps, Fire } from '../../../functions/scheduling/dispatch.ts';
import { dispatchFire } from '../../../functions/scheduling/dispatch.ts';
import { fireExecutionName } from '../../../functions/scheduling/execution-name.ts';
import { stateMachineArn } from '../../../local/engine/arn.ts';
import { startApiStack, TEST_WORKFLOWS, type ApiStack } from '../../support/api-stack.ts';
import { parkedWorkflow } from '../../support/parked-workflow.ts';
import { createSchedulingStores, type SchedulingStores } from '../../support/scheduling-stores.ts';

const SCHEDULED = new Date('2025-01-02T00:00:00.000Z');
const NOW = new Date('2025-01-02T00:00:02.250Z');

describe('dispatchFire', () => {
  let api: ApiStack;
  let stores: SchedulingStores;
  let deps: DispatchDeps;
  let seq = 0;

  beforeAll(async () => {
    api = await startApiStack();
    api.engine.register(parkedWorkflow('limited'));
    stores = await createSchedulingStores(api.dynamo.endpoint);
    deps = {
      ...api.deps,
      workflows: { ...TEST_WORKFLOWS, limited: { stateMachineArn: stateMachineArn('limited'), mode: 'STANDARD', maxEvents: 1 } },
      clock: () => NOW,
      schedules: stores.schedules,
      flags: stores.flags,
      rateLimiter: stores.rateLimiter,
    };
  });
  afterAll(async () => {
    await api.close();
  });

  /** A schedule fire of `reports` under a fresh schedule id. */
  const fire = (overrides: Partial<Fire> = {}): Fire => ({
    scheduleId: `reports.s${++seq}`,
    workflow: 'reports',
    scheduledTime: SCHEDULED,
    input: { day: 1 },
    ...overrides,
  });
  const starts = () => api.sfn.calls.filter((c) => c.operation === 'StartExecution').length;

  it('GIVEN a due fire WHEN dispatched THEN it starts under the deterministic name and records started with lateness', async () => {
    const due = fire();
    const result = await dispatchFire(deps, due);
    const executionId = fireExecutionName(due.scheduleId!, SCHEDULED);
    expect(result).toEqual({ outcome: 'started', scheduleId: due.scheduleId, executionId, latenessMs: 2250 });
    expect(api.sfn.calls.findLast((c) => c.operation === 'StartExecution')?.input).toMatchObject({ name: executionId, input: '{"day":1}' });
    expect(await stores.schedules.fires(due.scheduleId!)).toEqual([
      {
        scheduleId: due.scheduleId,
        scheduledTime: '2025-01-02T00:00:00.000Z',
        actualTime: '2025-01-02T00:00:02.250Z',
        latenessMs: 2250,
        outcome: 'started',
        executionId,
      },
    ]);
    expect(await api.deps.store.get('reports', executionId)).toMatchObject({ status: 'RUNNING', input: { day: 1 } });
  });

  it('GIVEN a fire dispatched twice WHEN the second arrives THEN it is a duplicate and nothing more starts', async () => {
    const due = fire();
    await dispatchFire(deps, due);
    const before = starts();
    expect(await dispatchFire(deps, due)).toEqual({ outcome: 'duplicate', scheduleId: due.scheduleId });
    expect(starts()).toBe(before);
  });

  it('GIVEN a flag condition and the flag unset or false WHEN dispatched THEN it is skipped with the reason', async () => {
    const condition = { flag: { name: 'backups_enabled' } };
    const unset = fire({ condition });
    expect(await dispatchFire(deps, unset)).toMatchObject({ outcome: 'skipped', reason: 'flag backups_enabled is not set' });
    await stores.flags.setFlag('backups_enabled', false);
    const off = fire({ condition });
    const before = starts();
    expect(await dispatchFire(deps, off)).toMatchObject({ outcome: 'skipped', reason: 'flag backups_enabled is false' });
    expect(starts()).toBe(before);
    expect((await stores.schedules.fires(off.scheduleId!))[0]).toMatchObject({ outcome: 'skipped', reason: 'flag backups_enabled is false' });
  });

  it('GIVEN a flag condition and the flag set WHEN dispatched THEN it starts', async () => {
    await stores.flags.setFlag('mode', 'live');
    expect(await dispatchFire(deps, fire({ condition: { flag: { name: 'mode', equals: 'live' } } }))).toMatchObject({ outcome: 'started' });
    expect(await dispatchFire(deps, fire({ condition: { flag: { name: 'mode', equals: 'dry' } } }))).toMatchObject({
      outcome: 'skipped',
      reason: 'flag mode is "live", not "dry"',
    });
  });

  it('GIVEN a match condition on an event THEN a matching event starts and another is skipped', async () => {
    const condition = { match: { detail: { amount: [{ numeric: ['>', 100] }] } } };
    const event = (id: string, amount: number) => ({ id, time: '2025-01-02T00:00:00Z', source: 'shop', detail: { amount } });
    const big = await dispatchFire(deps, { triggerName: 'big_order', workflow: 'reports', scheduledTime: SCHEDULED, input: {}, condition, event: event('e-1', 500) });
    expect(big).toMatchObject({ outcome: 'started', scheduleId: 'reports.big_order', executionId: fireExecutionName('reports.big_order', SCHEDULED, 'e-1') });
    const small = await dispatchFire(deps, { triggerName: 'big_order', workflow: 'reports', scheduledTime: SCHEDULED, input: {}, condition, event: event('e-2', 5) });
    expect(small).toEqual({ outcome: 'skipped', scheduleId: 'reports.big_order', reason: 'event does not match the condition' });
  });

  it('GIVEN a match condition on a schedule THEN it matches { time, trigger, workflow }', async () => {
    const condition = { match: { trigger: ['nightly'], workflow: ['reports'] } };
    expect(await dispatchFire(deps, fire({ scheduleId: 'reports.nightly', condition }))).toMatchObject({ outcome: 'started' });
    expect(await dispatchFire(deps, fire({ condition }))).toMatchObject({ outcome: 'skipped', reason: 'schedule fire does not match the condition' });
  });

  it('GIVEN an input the workflow schema refuses THEN the fire is recorded failed and not thrown', async () => {
    const bad = fire({ workflow: 'orders', scheduleId: `orders.s${++seq}`, input: { amount: -1 } });
    const result = await dispatchFire(deps, bad);
    expect(result).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('input schema') });
    expect((await stores.schedules.fires(bad.scheduleId!))[0]).toMatchObject({ outcome: 'failed' });
  });

  it('GIVEN Step Functions fails WHEN dispatched THEN the failure is recorded and thrown, and the retry starts it', async () => {
    const due = fire();
    api.sfn.failNext('StartExecution', { code: 'ServiceUnavailable' });
    await expect(dispatchFire(deps, due)).rejects.toThrow();
    expect((await stores.schedules.fires(due.scheduleId!))[0]).toMatchObject({ outcome: 'failed' });
    expect(await dispatchFire(deps, due)).toMatchObject({ outcome: 'started' });
  });

  it('GIVEN the flag store fails after the slot is claimed WHEN dispatched THEN failed is recorded and thrown, and the retry starts it', async () => {
    const due = fire({ condition: { flag: { name: 'flaky_flag', equals: true } } });
    await stores.flags.setFlag('flaky_flag', true);
    const broken: DispatchDeps = { ...deps, flags: { ...stores.flags, getFlag: async () => { throw new Error('DynamoDB unavailable'); } } as unknown as DispatchDeps['flags'] };
    await expect(dispatchFire(broken, due)).rejects.toThrow('DynamoDB unavailable');
    expect((await stores.schedules.fires(due.scheduleId!))[0]).toMatchObject({ outcome: 'failed', reason: 'DynamoDB unavailable' });
    expect(await dispatchFire(deps, due)).toMatchObject({ outcome: 'started' });
  });

  it('GIVEN a claim lost after the start WHEN the fire is retried THEN it is a duplicate recorded as started', async () => {
    const due = fire();
    const first = await dispatchFire(deps, due);
    // GIVEN the outcome was lost: the slot is failed again (e.g. recorded by a racing attempt)
    await stores.schedules.recordFire({ scheduleId: due.scheduleId!, scheduledTime: SCHEDULED.toISOString(), actualTime: NOW.toISOString(), latenessMs: 0, outcome: 'failed' });
    const before = starts();
    const again = await dispatchFire(deps, due);
    expect(again).toMatchObject({ outcome: 'duplicate', executionId: (first as { executionId: string }).executionId });
    expect(starts()).toBe(before + 1); // the same-name restart is a no-op in Step Functions
    expect(api.engine.list({ workflow: 'reports' }).filter((e) => e.name === (first as { executionId: string }).executionId)).toHaveLength(1);
  });

  it('GIVEN maxEvents 1 WHEN two events fire in one minute THEN the second is skipped', async () => {
    const event = (id: string) => ({ id, time: '2025-01-02T00:00:00Z' });
    expect(await dispatchFire(deps, { triggerName: 't', workflow: 'limited', scheduledTime: SCHEDULED, input: {}, event: event('x-1') })).toMatchObject({ outcome: 'started' });
    expect(await dispatchFire(deps, { triggerName: 't', workflow: 'limited', scheduledTime: SCHEDULED, input: {}, event: event('x-2') })).toMatchObject({
      outcome: 'skipped',
      reason: 'max_events 1 per minute reached for workflow limited',
    });
  });
});
