import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import { loadProject } from '../../../project/load-project.ts';
import { loadDefinitionText as parseDefinition } from '../../../project/definition-files.ts';
import { peakConcurrency, successPath } from '../../../core/compiler/analysis.ts';
import type { AslState, StateOfType } from '../../../core/asl/index.ts';

const FILE = resolve('test/fixtures/definitions/example.yaml');
const ECHO = '../handlers/echo.ts';

function compile(yaml: string) {
  const { definition, diagnostics } = parseDefinition(yaml, FILE);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition, { projectRoot: resolve('.') });
}

/** The state called `name`, checked to be of kind `type` (so its kind's fields can be read). */
function stateOf<T extends AslState['Type']>(states: Record<string, AslState>, name: string, type: T): StateOfType<T> {
  const state = states[name];
  expect(state?.Type).toBe(type);
  return state as StateOfType<T>;
}

const LAMBDA_RETRY = {
  ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
};
const payload = (task: string, first: boolean) => ({
  task,
  workflow: 'example',
  'execution.$': '$$.Execution.Id',
  'attempt.$': '$$.State.RetryCount',
  'input.$': '$$.Execution.Input',
  ...(first ? { results: {} } : { 'results.$': '$' }),
});

describe('compileWorkflow', () => {
  it('compiles a sequential chain into one Task state per task, results accumulating in state data', () => {
    const plan = compile(`workflow:
  engine: { type: sequential, timeout: 1h }
  tasks:
    - { name: a, handler: ${ECHO}, timeout: 30s }
    - { name: b, handler: ${ECHO}, depends_on: [a], retries: 2, backoff: { interval: 2s, rate: 1.5, max_delay: 20s, jitter: full } }
`);
    expect(plan.asl).toEqual({
      StartAt: 'a',
      TimeoutSeconds: 3600,
      States: {
        a: {
          Type: 'Task',
          Resource: `\${${plan.functions[0].placeholder}}`,
          Parameters: payload('a', true),
          ResultSelector: { 'a.$': '$' },
          TimeoutSeconds: 30,
          Retry: [LAMBDA_RETRY],
          Next: 'b',
        },
        b: {
          Type: 'Task',
          Resource: `\${${plan.functions[0].placeholder}}`,
          Parameters: payload('b', false),
          ResultPath: '$.b',
          Retry: [
            { ErrorEquals: ['NonRetriableError', 'ServiceRejected', 'ServiceNotFound'], MaxAttempts: 0 },
            LAMBDA_RETRY,
            { ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 1.5, MaxDelaySeconds: 20, JitterStrategy: 'FULL' },
          ],
          End: true,
        },
      },
    });
    expect(plan.functions).toEqual([
      expect.objectContaining({ handler: { file: resolve('test/fixtures/handlers/echo.ts'), exportName: 'handler' }, tasks: ['a', 'b'], timeoutSeconds: 60, memoryMb: 256 }),
    ]);
    expect(plan.taskStates).toEqual({
      a: { task: 'a', kind: 'function', placeholder: plan.functions[0].placeholder },
      b: { task: 'b', kind: 'function', placeholder: plan.functions[0].placeholder },
    });
  });

  it('merges parallel branches with JsonMerge in ResultSelector, without Pass states', () => {
    const plan = compile(`workflow:
  engine: { type: parallel }
  tasks:
    - { name: a, handler: ${ECHO} }
    - { name: b, handler: ${ECHO}, depends_on: [a] }
    - { name: c, handler: ${ECHO}, depends_on: [a] }
    - { name: d, handler: ${ECHO}, depends_on: [a] }
`);
    const parallel = stateOf(plan.asl.States, 'parallel.1', 'Parallel');
    expect(Object.keys(plan.asl.States)).toEqual(['a', 'parallel.1']);
    expect(parallel).toMatchObject({
      Type: 'Parallel',
      ResultSelector: { 'results.$': 'States.JsonMerge(States.JsonMerge($[0], $[1], false), $[2], false)' },
      OutputPath: '$.results',
      End: true,
    });
    expect(parallel.Branches.map((b) => b.StartAt)).toEqual(['b', 'c', 'd']);
  });

  it('records a failed on_failure: continue task as { error, cause } through Pass states on the failure path', () => {
    const plan = compile(`workflow:
  tasks:
    - { name: a, handler: ${ECHO} }
    - { name: b, handler: ${ECHO}, depends_on: [a], on_failure: continue, timeout: 5s }
    - { name: c, handler: ${ECHO}, depends_on: [b] }
`);
    const s = plan.asl.States;
    expect(stateOf(s, 'b', 'Task').Catch).toEqual([
      { ErrorEquals: ['States.Timeout'], ResultPath: '$.b', Next: 'b.timed_out' },
      { ErrorEquals: [...LAMBDA_RETRY.ErrorEquals, 'Lambda.Unknown', 'Lambda.ResourceNotReadyException', 'States.Permissions', 'States.HeartbeatTimeout'], ResultPath: '$.b', Next: 'b.unavailable' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.b', Next: 'b.caught' },
    ]);
    expect(s['b.timed_out']).toEqual({ Type: 'Pass', Result: { error: 'States.Timeout', cause: 'task b timed out after 5s' }, ResultPath: '$.b', Next: 'c' });
    expect(s['b.unavailable']).toEqual({ Type: 'Pass', Parameters: { 'error.$': '$.b.Error', 'cause.$': '$.b.Cause' }, ResultPath: '$.b', Next: 'c' });
    expect(s['b.caught']).toEqual({ Type: 'Pass', Parameters: { 'error.$': '$.b.Error', 'cause.$': 'States.StringToJson($.b.Cause)' }, ResultPath: '$.b', Next: 'b.cause' });
    expect(s['b.cause']).toEqual({ Type: 'Pass', Parameters: { 'error.$': '$.b.error', 'cause.$': '$.b.cause.errorMessage' }, ResultPath: '$.b', Next: 'c' });
  });

  it('runs the fallback task after a failure, then carries on where the failed task would have', () => {
    const plan = compile(`workflow:
  tasks:
    - { name: a, handler: ${ECHO}, on_failure: backup }
    - { name: backup, handler: ${ECHO}#other }
    - { name: c, handler: ${ECHO}, depends_on: [a] }
`);
    const s = plan.asl.States;
    expect(s['a.caught']).toEqual({ Type: 'Pass', Parameters: { a: { 'error.$': '$.Error', 'cause.$': 'States.StringToJson($.Cause)' } }, Next: 'a.cause' });
    expect(stateOf(s, 'a.cause', 'Pass').Next).toBe('backup.for.a');
    expect(s['backup.for.a']).toMatchObject({ Type: 'Task', Parameters: payload('backup', false), ResultPath: '$.backup', Next: 'c' });
    expect(plan.functions.map((f) => f.tasks)).toEqual([['a', 'c'], ['backup']]);
  });

  it('passes the declared service to the shared service invoker', () => {
    const plan = compile(`workflow:
  services:
    notify: { url: "http://127.0.0.1:3001/notify", timeout: 5s }
  tasks:
    - { name: tell, type: service, service: notify }
`);
    expect(plan.asl.States.tell).toMatchObject({
      Resource: '${ServiceInvoker}',
      Parameters: { ...payload('tell', true), service: { name: 'notify', definition: { name: 'notify', url: 'http://127.0.0.1:3001/notify', method: 'POST', headers: {}, timeoutSeconds: 5 } } },
    });
    expect(plan.functions).toEqual([]);
    expect(plan.services).toEqual([{ name: 'notify', definition: expect.objectContaining({ url: 'http://127.0.0.1:3001/notify' }) }]);
  });

  it('keeps generated state names within 80 characters, however long the fallback chain', () => {
    const long = (c: string) => c.repeat(60);
    const plan = compile(`workflow:
  tasks:
    - { name: ${long('a')}, handler: ${ECHO}, on_failure: ${long('b')} }
    - { name: ${long('b')}, handler: ${ECHO}, on_failure: ${long('c')} }
    - { name: ${long('c')}, handler: ${ECHO} }
`);
    const names = Object.keys(plan.asl.States);
    expect(names.length).toBe(new Set(names).size);
    expect(names.filter((n) => n.length > 80)).toEqual([]);
    expect(names.length).toBeGreaterThan(9);
  });

  it('never runs more than max_concurrent_tasks task states at once', () => {
    const tasks = Array.from({ length: 6 }, (_, i) => `    - { name: t${i}, handler: ${ECHO} }`).join('\n');
    const plan = compile(`workflow:\n  engine: { type: parallel, max_concurrent_tasks: 2 }\n  tasks:\n${tasks}\n`);
    expect(peakConcurrency(plan.asl)).toBe(2);
  });

  it('warns, with the line, about each edge it serialises', () => {
    const plan = compile(`workflow:
  engine: { type: parallel }
  tasks:
    - { name: a, handler: ${ECHO} }
    - { name: b, handler: ${ECHO} }
    - { name: c, handler: ${ECHO}, depends_on: [a, b] }
    - { name: d, handler: ${ECHO}, depends_on: [b] }
`);
    expect(plan.warnings).toEqual([expect.objectContaining({ code: 'serialised_edge', severity: 'warning', path: ['workflow', 'tasks', 0, 'depends_on'], line: 4 })]);
  });
});

describe('every example in definitions/', () => {
  const { plans, diagnostics } = loadProject('definitions');

  it('compiles without errors', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plans.map((p) => p.name).sort()).toEqual(['daily_backup', 'order_pipeline', 'resilient_import', 'sales_report', 'seed-example', 'thumbnails']);
  });

  it.each(plans.map((p) => [p.name, p] as const))('%s bills at most tasks + Parallel states + 1 transitions on the success path', (_, plan) => {
    const { tasks, parallels, transitions } = successPath(plan.asl);
    expect(transitions).toBeLessThanOrEqual(tasks + parallels + 1);
  });
});
