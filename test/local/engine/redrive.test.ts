import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import type { ExecutionStatusChangeEvent } from '../../../local/engine/status-event.ts';
import { callsOf } from '../fixtures/handlers/fails-once.ts';
import { calls, held } from '../fixtures/handlers/gated.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { sequential } from '../fixtures/plans.ts';

const engines: LocalEngine[] = [];
function engineFor(...args: ConstructorParameters<typeof LocalEngine>): LocalEngine {
  const engine = new LocalEngine(...args);
  engines.push(engine);
  return engine;
}

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

/** `fetch` then `store`, both failing their first call when the input lists them in `failOnce`. */
const twoSteps = (name = 'orders') => sequential(name, [{ name: 'fetch', handler: 'fails-once' }, { name: 'store', handler: 'fails-once' }]);

describe('LocalEngine.redrive', () => {
  it('runs a failed execution again from its failed state: the succeeded task is not run again', async () => {
    // GIVEN an execution whose second task failed
    const events: ExecutionStatusChangeEvent[] = [];
    const engine = engineFor({ plans: [twoSteps()], onStatusChange: (e) => void events.push(e) });
    const started = await engine.start('orders', { failOnce: ['store'] }, { name: 'r1' });
    const failed = await engine.wait(started.executionArn);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'FirstCallFailed' });

    // WHEN it is redriven
    const redriven = await engine.redrive(started.executionArn);
    const done = await engine.wait(started.executionArn);

    // THEN it runs again under the same ARN and succeeds, `fetch` having run once in all
    expect(redriven).toMatchObject({ executionArn: started.executionArn, status: 'RUNNING', redriveCount: 1, startDate: started.startDate });
    expect(redriven.redriveDate).toBeInstanceOf(Date);
    expect(redriven).not.toHaveProperty('error');
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(JSON.parse(done.output!)).toEqual({ fetch: { task: 'fetch', calls: 1 }, store: { task: 'store', calls: 2 } });
    expect([callsOf(started.executionArn, 'fetch'), callsOf(started.executionArn, 'store')]).toEqual([1, 2]);
    // AND the status changes say so, the redriven ones with their redrive count
    expect(events.map((e) => [e.detail.status, e.detail.redriveCount])).toEqual([
      ['RUNNING', 0],
      ['FAILED', 0],
      ['RUNNING', 1],
      ['SUCCEEDED', 1],
    ]);
    // AND the history has the redrive, after which only the failed state ran again
    const history = await engine.history(started.executionArn);
    const redriveAt = history.findIndex((e) => e.type === 'ExecutionRedriven');
    expect(history[redriveAt]).toMatchObject({ executionRedrivenEventDetails: { redriveCount: 1 }, previousEventId: redriveAt });
    const after = history.slice(redriveAt + 1);
    expect(after.map((e) => e.type)).toEqual(['TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(after[0]).toMatchObject({ stateEnteredEventDetails: { name: 'store' } });
    expect(history.filter((e) => e.type === 'ExecutionFailed')).toHaveLength(1);
  });

  it('counts redrives: an execution that fails again can be redriven again', async () => {
    const engine = engineFor({ plans: [sequential('thrice', [{ name: 'a', handler: 'fails-once' }, { name: 'b', handler: 'flaky' }])] });
    const started = await engine.start('thrice', { failOnce: ['a'] });
    expect((await engine.wait(started.executionArn)).status).toBe('FAILED');

    // `b` (no retries) fails its attempts 0 and 1 and succeeds on 2: each redrive starts its retry count at 0 again
    await engine.redrive(started.executionArn);
    expect(await engine.wait(started.executionArn)).toMatchObject({ status: 'FAILED', error: 'TransientError', redriveCount: 1 });
    await engine.redrive(started.executionArn);
    expect(await engine.wait(started.executionArn)).toMatchObject({ status: 'FAILED', redriveCount: 2 });
    expect(callsOf(started.executionArn, 'a')).toBe(2);
  });

  it('refuses running, succeeded and Express executions, and those ended more than 14 days ago', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const express = { ...twoSteps('fast'), mode: 'EXPRESS' as const };
    const engine = engineFor({ plans: [twoSteps(), express, sequential('parked', [{ name: 'wait', handler: 'hang' }])], clock });

    const ok = await engine.start('orders', {});
    expect((await engine.wait(ok.executionArn)).status).toBe('SUCCEEDED');
    await expect(engine.redrive(ok.executionArn)).rejects.toMatchObject({ name: 'ExecutionNotRedrivable', message: expect.stringContaining('SUCCEEDED') });

    const running = await engine.start('parked', {});
    await expect(engine.redrive(running.executionArn)).rejects.toMatchObject({ name: 'ExecutionNotRedrivable', message: expect.stringContaining('RUNNING') });

    const fast = await engine.start('fast', { failOnce: ['fetch'] });
    expect((await engine.wait(fast.executionArn)).status).toBe('FAILED');
    await expect(engine.redrive(fast.executionArn)).rejects.toMatchObject({ name: 'ExecutionNotRedrivable', message: expect.stringContaining('EXPRESS') });

    const old = await engine.start('orders', { failOnce: ['store'] });
    expect((await engine.wait(old.executionArn)).status).toBe('FAILED');
    await clock.advanceTo(Date.UTC(2025, 0, 15, 0, 0, 1));
    await expect(engine.redrive(old.executionArn)).rejects.toMatchObject({ name: 'ExecutionNotRedrivable', message: expect.stringContaining('14 days') });
    await expect(engine.redrive(engine.executionArn('orders', 'nope'))).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('redrives an ABORTED execution', async () => {
    const engine = engineFor({ plans: [sequential('stoppable', [{ name: 'fetch', handler: 'fails-once' }, { name: 'wait', handler: 'hang', timeoutSeconds: 1 }])] });
    const started = await engine.start('stoppable', {});
    await vi.waitFor(() => expect(callsOf(started.executionArn, 'fetch')).toBe(1));
    await engine.stop(started.executionArn, { error: 'Cancelled' });
    expect(engine.describe(started.executionArn).status).toBe('ABORTED');

    await engine.redrive(started.executionArn);

    expect(engine.describe(started.executionArn)).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
    await engine.stop(started.executionArn);
    expect(callsOf(started.executionArn, 'fetch')).toBe(1);
  });

  it('redrives an execution that failed before a restart, from the journal', async () => {
    // GIVEN a journaled engine on which an execution failed, then a new engine on the same journal
    const journalDir = join(mkdtempSync(join(tmpdir(), 'stepflow-journal-')), 'executions');
    const first = new LocalEngine({ plans: [twoSteps('kept')], journalDir });
    const started = await first.start('kept', { failOnce: ['store'] }, { name: 'before-restart' });
    expect((await first.wait(started.executionArn)).status).toBe('FAILED');
    await first.close();
    const second = engineFor({ plans: [twoSteps('kept')], journalDir });
    await second.recover();

    // WHEN it is redriven there
    await second.redrive(started.executionArn);
    const done = await second.wait(started.executionArn);

    // THEN the task that succeeded before the restart is answered from the journal
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect([callsOf(started.executionArn, 'fetch'), callsOf(started.executionArn, 'store')]).toEqual([1, 2]);

    // AND a third engine reads the redriven execution back as it ended
    await second.close();
    const third = engineFor({ plans: [twoSteps('kept')], journalDir });
    await third.recover();
    expect(third.describe(started.executionArn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, redriveDate: done.redriveDate });
  });

  it('resumes a redriven execution left running by a previous process: neither the tasks before the redrive nor those after it run again', async () => {
    // GIVEN a journaled engine on which an execution failed at `b`, then was redriven and went away while `c` ran
    const journalDir = join(mkdtempSync(join(tmpdir(), 'stepflow-journal-')), 'executions');
    const plans = [sequential('three', [{ name: 'a', handler: 'fails-once' }, { name: 'b', handler: 'fails-once' }, { name: 'c', handler: 'gated' }])];
    const first = new LocalEngine({ plans, journalDir, closeGraceMs: 0 });
    const started = await first.start('three', { failOnce: ['b'] }, { name: 'crashed-redrive' });
    expect((await first.wait(started.executionArn)).status).toBe('FAILED');
    held.add('c');
    await first.redrive(started.executionArn);
    await vi.waitFor(() => expect(calls.get(`${started.executionArn}/c`)).toBe(1));
    await first.close();
    held.delete('c');

    // WHEN a new engine recovers from the same journal
    const second = engineFor({ plans, journalDir });
    const report = await second.recover();
    const done = await second.wait(started.executionArn);

    // THEN the redriven run resumed and succeeded; `a` ran once, `b` twice (its failure, then its redrive), `c` again
    expect(report.resumed.map((d) => d.executionArn)).toEqual([started.executionArn]);
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect([callsOf(started.executionArn, 'a'), callsOf(started.executionArn, 'b'), calls.get(`${started.executionArn}/c`)]).toEqual([1, 2, 2]);
  });

  it('redrives a TIMED_OUT execution with its TimeoutSeconds counted again from the redrive', async () => {
    // GIVEN an execution of a workflow with a 10 s timeout whose task never answers
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const engine = engineFor({ plans: [sequential('slow', [{ name: 'fetch', handler: 'fails-once' }, { name: 'wait', handler: 'hang' }], 10)], clock });
    const started = await engine.start('slow', {});
    await vi.waitFor(() => expect(callsOf(started.executionArn, 'fetch')).toBe(1));
    clock.advanceTo(Date.UTC(2025, 0, 1, 0, 0, 10));
    expect(await engine.wait(started.executionArn)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });

    // WHEN it is redriven a minute later
    clock.advanceTo(Date.UTC(2025, 0, 1, 0, 1, 10));
    await engine.redrive(started.executionArn);

    // THEN it runs for 10 s from the redrive, not from its start
    clock.advanceTo(Date.UTC(2025, 0, 1, 0, 1, 19));
    expect(engine.describe(started.executionArn).status).toBe('RUNNING');
    clock.advanceTo(Date.UTC(2025, 0, 1, 0, 1, 20));
    expect(await engine.wait(started.executionArn)).toMatchObject({ status: 'TIMED_OUT', redriveCount: 1 });
    expect(callsOf(started.executionArn, 'fetch')).toBe(1);
  });
});
