import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../project/load-project.ts';
import { peakConcurrency, successPath } from '../../../core/compiler/analysis.ts';
import { check, compile, ECHO, independentTasks, LAMBDA_RETRY, payload, stateOf } from './support.ts';

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
          TimeoutSeconds: 60,
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

  it('runs the fallback task after a failure, then carries on where the failed task would have', () => {
    const plan = compile(`workflow:
  tasks:
    - { name: a, handler: ${ECHO}, on_failure: backup }
    - { name: backup, handler: ${ECHO}#other }
    - { name: c, handler: ${ECHO}, depends_on: [a] }
`);
    const s = plan.asl.States;
    expect(stateOf(s, 'a', 'Task').Catch).toEqual([
      { ErrorEquals: ['States.Timeout'], ResultPath: '$', Next: 'a.timed_out' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$', Next: 'a.caught' },
    ]);
    expect(s['a.parsed']).toEqual({ Type: 'Pass', Parameters: { a: { 'error.$': '$.Error', 'cause.$': 'States.StringToJson($.Cause)' } }, Next: 'a.cause' });
    expect(stateOf(s, 'a.cause', 'Pass').Next).toBe('backup.for.a');
    expect(stateOf(s, 'a.plain', 'Pass').Next).toBe('backup.for.a');
    expect(s['backup.for.a']).toMatchObject({ Type: 'Task', Parameters: payload('backup', false), ResultPath: '$.backup', Next: 'c' });
    expect(plan.functions.map((f) => f.tasks)).toEqual([['a', 'c'], ['backup']]);
  });

  it('keeps every result of a fallback shared by two tasks, in each failed task\'s record', () => {
    // GIVEN a and b, both falling back to fb, in two branches
    const plan = compile(`workflow:
  engine: { type: parallel }
  tasks:
    - { name: a, handler: ${ECHO}, on_failure: fb }
    - { name: b, handler: ${ECHO}, on_failure: fb }
    - { name: fb, handler: ${ECHO} }
`);
    const [left, right] = stateOf(plan.asl.States, 'parallel.1', 'Parallel').Branches;
    // THEN each run of fb writes into the record of the task it stands in for: results.a.fallback,
    // results.b.fallback (a key of its own would keep only one after the branches merge)
    expect(left.States['fb.for.a']).toMatchObject({ Type: 'Task', Parameters: payload('fb', false), ResultPath: '$.a.fallback', End: true });
    expect(right.States['fb.for.b']).toMatchObject({ Type: 'Task', Parameters: payload('fb', false), ResultPath: '$.b.fallback', End: true });
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

  it('warns, with the line, about each task that waits for tasks it does not depend on', () => {
    const plan = compile(`workflow:
  engine: { type: parallel }
  tasks:
    - { name: a, handler: ${ECHO} }
    - { name: b, handler: ${ECHO} }
    - { name: c, handler: ${ECHO}, depends_on: [a, b] }
    - { name: d, handler: ${ECHO}, depends_on: [b] }
`);
    expect(plan.warnings).toEqual([{
      code: 'serialised_edge',
      severity: 'warning',
      file: resolve('test/fixtures/definitions/example.yaml'),
      line: 7,
      path: ['workflow', 'tasks', 3, 'depends_on'],
      message: 'task "d" also waits for "a": nested Parallel states cannot express this dependency graph exactly (engine.dag: gated runs it exactly)',
    }]);
  });

  it('names at most ten such tasks, and counts the rest in one more warning', () => {
    // GIVEN 12 layers of 10 tasks, each needing two tasks of the layer before
    const lines: string[] = [];
    for (let layer = 0; layer < 12; layer++) {
      for (let i = 0; i < 10; i++) {
        const deps = layer === 0 ? '' : `, depends_on: [t${layer - 1}_${i}, t${layer - 1}_${(i * 3 + 1) % 10}]`;
        lines.push(`    - { name: t${layer}_${i}, handler: ${ECHO}${deps} }`);
      }
    }
    const plan = compile(`workflow:\n  engine: { type: parallel, dag: nested }\n  tasks:\n${lines.join('\n')}\n`);
    expect(plan.warnings).toHaveLength(11);
    expect(plan.warnings[10]).toMatchObject({ code: 'serialised_edge', path: ['workflow', 'tasks'], message: expect.stringMatching(/^\d+ more tasks also wait for tasks they do not depend on$/) });
  });

  it('writes a default timeout into every Task state, and a service task waits at least as long as its service', () => {
    const plan = compile(`workflow:
  services:
    slow: { url: "http://127.0.0.1:3001/slow", timeout: 2m }
  tasks:
    - { name: a, handler: ${ECHO} }
    - { name: call, type: service, service: slow, depends_on: [a] }
`);
    expect(stateOf(plan.asl.States, 'a', 'Task').TimeoutSeconds).toBe(60);
    expect(stateOf(plan.asl.States, 'call', 'Task').TimeoutSeconds).toBe(120);
    expect(plan.functions[0].timeoutSeconds).toBe(60);
  });

  it('says how the tasks run and what that costs, in the plan', () => {
    const plan = compile(`workflow:\n  engine: { type: parallel, max_concurrent_tasks: 2 }\n  tasks:\n${independentTasks(4)}\n`);
    expect(plan.strategy).toEqual({
      kind: 'nested',
      reason: 'nested states take 1.00× the ideal (at most 1.05)',
      makespanRatio: 1,
      // items Pass, Map, and a Choice and a Task per task
      transitions: 10,
      maxConcurrentTasks: 2,
    });
  });

  it('keeps auto nested when the gated form would write more history events than AWS allows', () => {
    // GIVEN 300 tasks in layers, each needing two of the layer before, of uneven estimates
    const lines: string[] = [];
    for (let layer = 0; layer < 30; layer++) {
      for (let i = 0; i < 10; i++) {
        const deps = layer === 0 ? '' : `, depends_on: [t${layer - 1}_${i}, t${layer - 1}_${(i * 3 + 1) % 10}]`;
        lines.push(`    - { name: t${layer}_${i}, handler: ${ECHO}, estimate: ${1 + ((layer * 7 + i * 3) % 10)}s${deps} }`);
      }
    }
    const { plan, diagnostics } = check(`workflow:\n  engine: { type: parallel }\n  tasks:\n${lines.join('\n')}\n`);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan?.strategy).toMatchObject({ kind: 'nested', reason: 'the gated form would break AWS limits (history_too_long)' });
  });

  it('refuses, with every diagnostic, a state machine AWS would refuse', () => {
    // GIVEN a task retried so often that one execution could write more than 25,000 history events
    const yaml = `workflow:\n  tasks:\n    - { name: a, handler: ${ECHO}, retries: 7000 }\n`;
    expect(() => compile(yaml)).toThrow(/breaks AWS limits/);
    expect(check(yaml)).toEqual({
      diagnostics: [{
        code: 'history_too_long',
        severity: 'error',
        file: resolve('test/fixtures/definitions/example.yaml'),
        line: 3,
        path: ['workflow', 'tasks', 0, 'retries'],
        message: 'an execution could write 28020 history events; Standard workflows allow 25000 (task "a" alone up to 28018, with 7000 retries)',
      }],
    });
  });
});

describe('every example in definitions/', () => {
  const { plans, diagnostics } = loadProject('definitions');

  it('compiles without errors', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plans.map((p) => p.name).sort()).toEqual(['daily_backup', 'image_thumbnails', 'order_pipeline', 'resilient_import', 'sales_report', 'seed-example', 'service-orchestration', 'thumbnails']);
  });

  it.each(plans.map((p) => [p.name, p] as const))('%s bills at most tasks + Parallel states + 1 transitions on the success path, and a Choice per Map item', (_, plan) => {
    // No Pass state on the success path, but the two around each Map (its items and, after a first task, the merge).
    const { tasks, parallels, iterations, transitions } = successPath(plan.asl);
    const maps = JSON.stringify(plan.asl).split('"Type":"Map"').length - 1;
    expect(transitions).toBeLessThanOrEqual(tasks + parallels + 1 + iterations + 2 * maps);
  });
});
