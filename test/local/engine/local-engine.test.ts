import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import type { ProgressEvent } from '../../../local/engine/execution.ts';
import type { ExecutionStatusChangeEvent } from '../../../local/engine/status-event.ts';
import { attemptsSeen } from '../fixtures/handlers/flaky.ts';
import { calls, held } from '../fixtures/handlers/gated.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { fanOut, sequential } from '../fixtures/plans.ts';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';

const HUNG_FILE = fileURLToPath(new URL('../fixtures/definitions/hung.yaml', import.meta.url));

const engines: LocalEngine[] = [];
function engineFor(...args: ConstructorParameters<typeof LocalEngine>): LocalEngine {
  const engine = new LocalEngine(...args);
  engines.push(engine);
  return engine;
}

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

describe('LocalEngine', () => {
  it('runs tasks one after the other, each seeing the execution input and the upstream results', async () => {
    // GIVEN a two-task sequential workflow
    const engine = engineFor({ plans: [sequential('orders', [{ name: 'fetch', handler: 'echo' }, { name: 'store', handler: 'echo' }])] });

    // WHEN it runs
    const started = await engine.start('orders', { orderId: 7 }, { name: 'run-1' });
    const done = await engine.wait(started.executionArn);

    // THEN it succeeds with the results object, and each task got the TaskEvent of the contract
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:orders:run-1');
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      fetch: { task: 'fetch', attempt: 0, execution: started.executionArn, input: { orderId: 7 }, upstream: [], functionName: 'stepflow-echo' },
      store: { task: 'store', attempt: 0, execution: started.executionArn, input: { orderId: 7 }, upstream: ['fetch'], functionName: 'stepflow-echo' },
    });
    expect(done.stopDate).toBeInstanceOf(Date);
  });

  it('runs parallel branches and gives every branch task the execution input (not the branch input)', async () => {
    const engine = engineFor({ plans: [fanOut('fan')] });

    const done = await engine.wait((await engine.start('fan', { batch: 3 })).executionArn);

    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(Object.keys(output).sort()).toEqual(['a', 'b', 'c', 'prep']);
    expect(output.a).toMatchObject({ input: { batch: 3 }, upstream: ['prep'] });
    expect(output.b).toMatchObject({ input: { batch: 3 }, upstream: ['prep'] });
    expect(output.c.upstream).toEqual(['a', 'b', 'prep']);
  });

  it('retries a failing task and passes the attempt number 0, 1, 2 to the handler', async () => {
    // GIVEN a task failing twice, with two retries and no wait between them
    const engine = engineFor({ plans: [sequential('flaky', [{ name: 'call', handler: 'flaky', retries: 2 }])], retryIntervalMs: 0 });
    const progress: ProgressEvent[] = [];
    engine.on('progress', (e) => progress.push(e));

    // WHEN it runs
    const started = await engine.start('flaky', {});
    const done = await engine.wait(started.executionArn);

    // THEN the third attempt succeeds, and the handler and the progress events saw attempts 0, 1, 2
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ call: { attempt: 2 } });
    expect(attemptsSeen(started.executionArn)).toEqual([0, 1, 2]);
    expect(progress.map((e) => `${e.type}:${e.attempt}`)).toEqual([
      'taskStarted:0', 'taskFailed:0', 'taskStarted:1', 'taskFailed:1', 'taskStarted:2', 'taskSucceeded:2',
    ]);
    expect(progress[1]).toMatchObject({ error: 'TransientError', state: 'call', task: 'call' });
  });

  it('fails the execution with the thrown error name and the Lambda error envelope as cause', async () => {
    const engine = engineFor({ plans: [sequential('pay', [{ name: 'charge', handler: 'declined' }])] });

    const done = await engine.wait((await engine.start('pay', {})).executionArn);

    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('PaymentDeclined');
    const cause = JSON.parse(done.cause!);
    expect(cause).toMatchObject({ errorType: 'PaymentDeclined', errorMessage: 'card 4242 was declined' });
    expect(cause.trace[0]).toBe('PaymentDeclined: card 4242 was declined');
  });

  it('fails a task that outlives its TimeoutSeconds with States.Timeout', async () => {
    // GIVEN a task that never answers, with a 5 s timeout, on a clock that moves only when told
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const engine = engineFor({ clock, plans: [sequential('slow', [{ name: 'wait_forever', handler: 'hang', timeoutSeconds: 5 }])] });
    const progress: ProgressEvent[] = [];
    engine.on('progress', (e) => progress.push(e));
    const taskStarted = new Promise((resolve) => engine.once('progress', resolve));

    // WHEN 5 s pass
    const started = await engine.start('slow', {});
    await taskStarted;
    clock.advance(4_999);
    expect(engine.describe(started.executionArn).status).toBe('RUNNING');
    clock.advance(1);
    const done = await engine.wait(started.executionArn);

    // THEN the execution fails with States.Timeout, as the task's progress says
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout', cause: 'States.Timeout', stopDate: new Date(Date.UTC(2026, 0, 1, 0, 0, 5)) });
    expect(progress.at(-1)).toMatchObject({ type: 'taskFailed', error: 'States.Timeout', durationMs: 5_000, cause: 'task timed out after 5s' });
  });

  it('fails a compiled task without a timeout after the default one the compiler wrote, as the deployed machine does', async () => {
    // GIVEN a definition whose task never answers and sets no timeout
    const { definition } = loadDefinitionText('workflow:\n  name: hung\n  tasks:\n    - { name: wait_forever, handler: ../handlers/hang.ts }\n', HUNG_FILE);
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const engine = engineFor({ clock, plans: [compileWorkflow(definition!)] });
    const taskStarted = new Promise((resolve) => engine.once('progress', resolve));

    // WHEN 60 s pass (the TimeoutSeconds the compiler wrote; no offline default is added)
    const started = await engine.start('hung', {});
    await taskStarted;
    clock.advance(60_000);

    // THEN States.Timeout, the error the deployed state machine gives too
    expect(await engine.wait(started.executionArn)).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('stops a Task state without TimeoutSeconds at its Lambda\'s own timeout, with Sandbox.Timedout', async () => {
    // GIVEN a hand-made state with no TimeoutSeconds, whose function has a 60 s timeout (so its Lambda 70 s)
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const engine = engineFor({ clock, plans: [sequential('untimed', [{ name: 'wait_forever', handler: 'hang' }])] });
    const taskStarted = new Promise((resolve) => engine.once('progress', resolve));

    const started = await engine.start('untimed', {});
    await taskStarted;
    clock.advance(69_999);
    expect(engine.describe(started.executionArn).status).toBe('RUNNING');
    clock.advance(1);
    const done = await engine.wait(started.executionArn);

    // THEN the Lambda error AWS reports for a function that ran out of time
    expect(done).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
    expect(JSON.parse(done.cause!)).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/Task timed out after 70\.00 seconds$/) });
  });

  it('ends an execution that outlives the workflow TimeoutSeconds as TIMED_OUT', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const engine = engineFor({ clock, plans: [sequential('bounded', [{ name: 'wait_forever', handler: 'hang', timeoutSeconds: 60 }], 10)] });
    const taskStarted = new Promise((resolve) => engine.once('progress', resolve));

    const started = await engine.start('bounded', {});
    await taskStarted;
    clock.advance(10_000);
    const done = await engine.wait(started.executionArn);

    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout', cause: 'execution exceeded TimeoutSeconds (10s)' });
  });

  it('ends a stopped execution as ABORTED with the given error and cause', async () => {
    const engine = engineFor({ plans: [sequential('stoppable', [{ name: 'wait_forever', handler: 'hang' }])] });
    const started = await engine.start('stoppable', {});

    const stopped = await engine.stop(started.executionArn, { error: 'Cancelled', cause: 'by the user' });

    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by the user' });
    expect(engine.describe(started.executionArn).status).toBe('ABORTED');
  });

  it('emits AWS-shaped status change events in order to the listener', async () => {
    const events: ExecutionStatusChangeEvent[] = [];
    const engine = engineFor({ plans: [sequential('noted', [{ name: 'only', handler: 'echo' }])], onStatusChange: (e) => void events.push(e) });

    const started = await engine.start('noted', { x: 1 }, { name: 'n1' });
    await engine.wait(started.executionArn);

    expect(events.map((e) => e.detail.status)).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(events[0]).toMatchObject({
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      resources: [started.executionArn],
      detail: {
        executionArn: started.executionArn,
        stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:noted',
        name: 'n1',
        input: '{"x":1}',
        stopDate: null,
        output: null,
        error: null,
        cause: null,
      },
    });
    expect(typeof events[0].detail.startDate).toBe('number');
    expect(JSON.parse(events[1].detail.output!)).toHaveProperty('only');
  });

  it('is idempotent by name for the same input while running, and refuses another input', async () => {
    const engine = engineFor({ plans: [sequential('idem', [{ name: 'wait_forever', handler: 'hang' }])] });
    const first = await engine.start('idem', { a: 1 }, { name: 'same' });

    const again = await engine.start('idem', { a: 1 }, { name: 'same' });

    expect(again.executionArn).toBe(first.executionArn);
    await expect(engine.start('idem', { a: 2 }, { name: 'same' })).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('resumes an execution left running by a previous process, answering its completed tasks from the journal', async () => {
    // GIVEN a journaled engine that goes away while the third task of an execution runs, the second
    // having failed once and succeeded on its retry
    const journalDir = join(mkdtempSync(join(tmpdir(), 'stepflow-journal-')), 'executions');
    const plans = [sequential('durable', [{ name: 'first', handler: 'gated' }, { name: 'second', handler: 'gated', retries: 2 }, { name: 'third', handler: 'gated' }])];
    held.add('third');
    const first = new LocalEngine({ plans, journalDir, retryIntervalMs: 0, closeGraceMs: 0 });
    const started = await first.start('durable', { n: 1 }, { name: 'interrupted' });
    await vi.waitFor(() => expect(calls.get(`${started.executionArn}/third`)).toBe(1));
    await first.close();
    held.delete('third');

    // WHEN a new engine recovers from the same journal
    const events: ExecutionStatusChangeEvent[] = [];
    const second = engineFor({ plans, journalDir, onStatusChange: (e) => void events.push(e) });
    const report = await second.recover();
    const done = await second.wait(started.executionArn);

    // THEN the execution resumed and succeeded with the output it would have had
    expect(report.resumed.map((d) => d.executionArn)).toEqual([started.executionArn]);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      first: { task: 'first', attempt: 0, upstream: [] },
      second: { task: 'second', attempt: 1, upstream: ['first'] },
      third: { task: 'third', attempt: 0, upstream: ['first', 'second'] },
    });
    // AND only the task running when the engine went away ran again
    const ran = (task: string) => calls.get(`${started.executionArn}/${task}`);
    expect([ran('first'), ran('second'), ran('third')]).toEqual([1, 2, 2]);
    expect(events.map((e) => e.detail.status)).toEqual(['SUCCEEDED']);
  });

  it('ends an execution whose workflow is no longer registered, stopped when its journal was last written', async () => {
    // GIVEN an execution left running by an engine that goes away
    const journalDir = join(mkdtempSync(join(tmpdir(), 'stepflow-journal-')), 'executions');
    const first = new LocalEngine({ plans: [sequential('gone', [{ name: 'wait_forever', handler: 'hang' }])], journalDir, closeGraceMs: 0 });
    const started = await first.start('gone', {}, { name: 'orphan' });
    await first.close();

    // WHEN an engine without that workflow recovers
    const second = engineFor({ plans: [], journalDir });
    const report = await second.recover();

    // THEN the execution is FAILED with the reason, stopped no later than the restart
    expect(report.ended.map((d) => d.executionArn)).toEqual([started.executionArn]);
    expect(second.describe(started.executionArn)).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'workflow "gone" is no longer defined; the execution cannot be resumed' });
    expect(second.describe(started.executionArn).stopDate!.getTime()).toBeGreaterThanOrEqual(started.startDate.getTime());
  });

  it('does not keep an execution whose journal entry could not be written, and lets it start again', async () => {
    // GIVEN an engine whose journal folder is taken by a file
    const journalDir = join(mkdtempSync(join(tmpdir(), 'stepflow-journal-')), 'executions');
    writeFileSync(journalDir, 'not a folder');
    const engine = engineFor({ plans: [sequential('short', [{ name: 'only', handler: 'echo' }])], journalDir });

    // WHEN an execution is started
    const failed = engine.start('short', {}, { name: 'unsaved' });

    // THEN the start fails with the write error and no RUNNING execution is left behind
    await expect(failed).rejects.toMatchObject({ code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/) });
    expect(engine.list()).toEqual([]);

    // AND once the journal can be written, the same name starts and runs
    rmSync(journalDir);
    const started = await engine.start('short', {}, { name: 'unsaved' });
    expect((await engine.wait(started.executionArn)).status).toBe('SUCCEEDED');
  });

  it('throws ExecutionDoesNotExist for an unknown execution and StateMachineDoesNotExist for an unknown workflow', async () => {
    const engine = engineFor({ plans: [] });

    expect(() => engine.describe('arn:aws:states:us-east-1:000000000000:execution:nope:x')).toThrow(expect.objectContaining({ name: 'ExecutionDoesNotExist' }));
    await expect(engine.start('nope', {})).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
  });
});
