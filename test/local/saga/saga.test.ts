import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import type { WorkflowPlan } from '../../../core/compiler/plan.ts';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { sagaLog, type SagaInput } from '../fixtures/handlers/saga.ts';

const DEFINITIONS = fileURLToPath(new URL('../fixtures/definitions/', import.meta.url));

function compiled(yaml: string): WorkflowPlan {
  const { definition, diagnostics } = loadDefinitionText(yaml, `${DEFINITIONS}saga.yaml`);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition);
}

const STEP = '../handlers/saga.ts#step';
const UNDO = '../handlers/saga.ts#undo';

const engine = new LocalEngine({
  retryIntervalMs: 0,
  plans: [
    compiled(`workflow:
  name: booking
  tasks:
    - { name: reserve, handler: ${STEP}, compensate: ${UNDO} }
    - { name: charge, handler: ${STEP}, depends_on: [reserve], compensate: { handler: ${UNDO}, retries: 2, backoff: { interval: 1s } } }
    - { name: notify, handler: ${STEP}, depends_on: [charge] }
    - { name: ship, handler: ${STEP}, depends_on: [notify], compensate: ${UNDO} }
`),
    compiled(`workflow:
  name: trip
  engine: { type: parallel }
  tasks:
    - { name: plan, handler: ${STEP}, compensate: ${UNDO} }
    - { name: flight, handler: ${STEP}, depends_on: [plan], compensate: ${UNDO} }
    - { name: hotel, handler: ${STEP}, depends_on: [plan], compensate: ${UNDO} }
    - { name: car, handler: ${STEP}, depends_on: [plan], compensate: ${UNDO} }
    - { name: confirm, handler: ${STEP}, depends_on: [flight, hotel, car] }
`),
  ],
});

afterAll(() => engine.close());

async function run(workflow: string, input: SagaInput) {
  const started = await engine.start(workflow, input, { name: input.run });
  return engine.wait(started.executionArn);
}

describe('sagas offline', () => {
  it('succeeds without compensating, and records nothing but the results', async () => {
    const done = await run('booking', { run: 'ok' });
    expect(done.status).toBe('SUCCEEDED');
    expect(sagaLog('ok').calls).toEqual([]);
    expect(JSON.parse(done.output!).ship).toEqual({ done: 'ship' });
  });

  it('compensates the completed tasks in reverse order, then fails with the original error and cause', async () => {
    const done = await run('booking', { run: 'late', fail: 'ship' });

    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('StepFailed');
    expect(JSON.parse(done.cause!).errorMessage).toBe('ship failed on purpose');
    const log = sagaLog('late');
    expect(log.completed).toEqual(['reserve', 'charge', 'notify']);
    // notify has no compensation; ship never completed.
    expect(log.calls.map((c) => c.task)).toEqual(['charge', 'reserve']);
    expect(log.calls[0]).toMatchObject({ id: 'late:charge', result: { done: 'charge' } });
  });

  it('a retried compensation has its effect once: the id is the same on every attempt', async () => {
    const done = await run('booking', { run: 'flaky', fail: 'ship', flakyUndo: ['charge'] });

    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('StepFailed');
    const log = sagaLog('flaky');
    expect(log.calls.map((c) => [c.task, c.attempt])).toEqual([['charge', 0], ['charge', 1], ['reserve', 0]]);
    expect(new Set(log.calls.filter((c) => c.task === 'charge').map((c) => c.id))).toEqual(new Set(['flaky:charge']));
    expect([...log.effects.values()]).toEqual(['charge', 'reserve']);
  });

  it('a compensation that fails after its retries ends the execution with stepflow.CompensationFailed and the report', async () => {
    const done = await run('booking', { run: 'broken', fail: 'ship', brokenUndo: ['charge'] });

    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('stepflow.CompensationFailed');
    const report = JSON.parse(done.cause!);
    expect(report.error).toBe('StepFailed');
    expect(report.compensations).toEqual([
      { task: 'charge', id: 'broken:charge', outcome: 'failed', error: 'UndoFailed', cause: expect.stringContaining('cannot undo charge') },
      { task: 'reserve', id: 'broken:reserve', outcome: 'compensated' },
    ]);
    // Its own retries (2) were spent: three attempts.
    expect(sagaLog('broken').calls.filter((c) => c.task === 'charge')).toHaveLength(3);
  });

  it('the report is the output of the saga.report task state', async () => {
    const done = await run('booking', { run: 'reported', fail: 'notify' });
    const history = await engine.history(done.executionArn);
    const details = history.flatMap((e) => {
      const exited = (e as { stateExitedEventDetails?: { name?: string; output?: string } }).stateExitedEventDetails;
      return e.type === 'TaskStateExited' && exited?.name === 'saga.report' ? [exited] : [];
    });
    expect(details).toHaveLength(1);
    const report = JSON.parse(details[0].output!);
    expect(report.compensations.map((c: { task: string; outcome: string }) => [c.task, c.outcome])).toEqual([['charge', 'compensated'], ['reserve', 'compensated']]);
  });

  it('a parallel saga: a branch fails after another completed; every completed task is compensated, latest first', async () => {
    const done = await run('trip', { run: 'trip', fail: 'car', delays: { flight: 5, hotel: 60, car: 120 } });

    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('StepFailed');
    const log = sagaLog('trip');
    expect(log.completed).toEqual(['plan', 'flight', 'hotel']);
    expect(log.calls.map((c) => c.task)).toEqual(['hotel', 'flight', 'plan']);
  });

  it('completion order, not definition order, decides across branches', async () => {
    const done = await run('trip', { run: 'trip2', fail: 'car', delays: { flight: 80, hotel: 5, car: 150 } });

    expect(done.status).toBe('FAILED');
    expect(sagaLog('trip2').completed).toEqual(['plan', 'hotel', 'flight']);
    expect(sagaLog('trip2').calls.map((c) => c.task)).toEqual(['flight', 'hotel', 'plan']);
  });
});
