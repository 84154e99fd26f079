import { describe, expect, it } from 'vitest';
import { COORDINATOR_RETRY } from '../../../../core/compiler/states/gate.ts';
import { ECHO, LAMBDA_RETRY, compile, payload } from '../support.ts';

describe('gated workflows', () => {
  it('retries the coordinator on anything but a malformed request', () => {
    expect(COORDINATOR_RETRY).toEqual([
      { ErrorEquals: ['NonRetriableError', 'ServiceRejected', 'ServiceNotFound'], MaxAttempts: 0 },
      LAMBDA_RETRY,
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 2, JitterStrategy: 'FULL' },
    ]);
  });

  it('runs every task in its own branch, behind a gate the coordinator opens, reporting its output after', () => {
    const plan = compile(`workflow:
  engine: { type: parallel, dag: gated, max_concurrent_tasks: 2 }
  tasks:
    - { name: a, handler: ${ECHO} }
    - { name: b, handler: ${ECHO}, depends_on: [a], on_failure: fb }
    - { name: fb, handler: ${ECHO} }
`);
    const gate = (task: string, needs: string[], rank: number) => ({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: '${Coordinator}',
        Payload: { action: 'wait', workflow: 'example', 'execution.$': '$$.Execution.Id', task, needs, rank, limit: 2, 'token.$': '$$.Task.Token' },
      },
      Retry: COORDINATOR_RETRY,
      Next: task,
    });
    const done = (task: string, keys: string[]) => ({
      Type: 'Task',
      Resource: '${Coordinator}',
      Parameters: { action: 'done', workflow: 'example', 'execution.$': '$$.Execution.Id', task, keys, 'output.$': '$' },
      ResultPath: null,
      Retry: COORDINATOR_RETRY,
      End: true,
    });
    const task = (name: string, next: string) => ({
      Type: 'Task',
      Resource: '${TaskFunction_echo_7fe83b}',
      Parameters: payload(name, false),
      ResultPath: `$.${name}`,
      TimeoutSeconds: 60,
      Retry: [LAMBDA_RETRY],
      Next: next,
    });
    const { 'b.caught': caught, 'b.parsed': parsed, 'b.cause': cause, 'b.plain': plain, 'b.bare': bare, 'b.timed_out': timedOut } =
      plan.asl.States['gated.tasks'].Type === 'Parallel' ? plan.asl.States['gated.tasks'].Branches[1].States : {};
    expect(plan.asl).toEqual({
      StartAt: 'gated.tasks',
      States: {
        'gated.tasks': {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'a.gate', States: { 'a.gate': gate('a', [], 0), a: task('a', 'a.done'), 'a.done': done('a', ['a']) } },
            {
              StartAt: 'b.gate',
              States: {
                'b.gate': gate('b', ['a'], 1),
                b: {
                  ...task('b', 'b.done'),
                  Catch: [
                    { ErrorEquals: ['States.Timeout'], ResultPath: '$.b', Next: 'b.timed_out' },
                    { ErrorEquals: ['States.ALL'], ResultPath: '$.b', Next: 'b.caught' },
                  ],
                },
                'b.done': done('b', ['b', 'fb']),
                'b.timed_out': timedOut,
                'b.caught': caught,
                'b.parsed': parsed,
                'b.cause': cause,
                'fb.for.b': { ...task('fb', 'b.done'), Parameters: payload('fb', false) },
                'b.plain': plain,
                'b.bare': bare,
              },
            },
          ],
          ResultSelector: { 'results.$': 'States.JsonMerge($[0], $[1], false)' },
          OutputPath: '$.results',
          End: true,
        },
      },
    });
    expect(timedOut).toMatchObject({ Next: 'fb.for.b' });
    expect(plan.taskStates).toMatchObject({
      'a.gate': { task: 'a', kind: 'gate', placeholder: 'Coordinator' },
      'a.done': { task: 'a', kind: 'done', placeholder: 'Coordinator' },
    });
    expect(plan.strategy).toMatchObject({ kind: 'gated', reason: 'engine.dag is gated', makespanRatio: 1, maxConcurrentTasks: 2 });
  });
});
