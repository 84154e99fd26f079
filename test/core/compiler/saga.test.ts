import { describe, expect, it } from 'vitest';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { ECHO, FILE, compile, stateOf } from './support.ts';
import { runOffline, taskError } from './run-offline.ts';

const sequential = `workflow:
  name: example
  tasks:
    - { name: a, handler: ${ECHO}, compensate: ${ECHO}#other }
    - { name: b, handler: ${ECHO}, depends_on: [a], compensate: { handler: ${ECHO}#other, retries: 3, backoff: { interval: 2s, rate: 1.5 } } }
    - { name: c, handler: ${ECHO}, depends_on: [b] }
`;

describe('saga compilation', () => {
  it('records each compensable task\'s completion and catches every failure into the compensation path', () => {
    const { asl, functions, taskStates } = compile(sequential);

    const a = stateOf(asl.States, 'a', 'Task');
    expect(a.Next).toBe('a.completed');
    expect(a.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$._saga_failed', Next: 'saga.order' }]);
    expect(stateOf(asl.States, 'a.completed', 'Pass')).toEqual({ Type: 'Pass', Parameters: { 'at.$': '$$.State.EnteredTime' }, ResultPath: '$._saga_done_a', Next: 'b' });
    // c has no compensation: no completion record, but its failure is caught all the same.
    expect(stateOf(asl.States, 'c', 'Task').End).toBe(true);
    expect(stateOf(asl.States, 'c', 'Task').Catch?.[0].Next).toBe('saga.order');

    const order = stateOf(asl.States, 'saga.order', 'Task');
    expect(order.Parameters).toMatchObject({ action: 'order', 'execution.$': '$$.Execution.Name', tasks: [{ task: 'a', order: 0 }, { task: 'b', order: 1 }] });
    const map = stateOf(asl.States, 'saga.compensate', 'Map');
    expect(map.MaxConcurrency).toBe(1);
    const undoB = map.ItemProcessor!.States['b.compensate'];
    expect(undoB).toMatchObject({
      Type: 'Task',
      Parameters: { task: 'b', compensation: { 'id.$': '$.id', 'result.$': '$.result' } },
      Retry: expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 3, IntervalSeconds: 2, BackoffRate: 1.5 })]),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$', Next: 'b.compensation_failed' }],
    });
    expect(stateOf(asl.States, 'saga.failed', 'Fail')).toEqual({ Type: 'Fail', ErrorPath: '$.error', CausePath: '$.cause' });

    expect(functions.map((f) => f.id)).toEqual(expect.arrayContaining(['stepflow_saga']));
    expect(taskStates['b.compensate']).toMatchObject({ task: 'b', kind: 'function' });
    expect(taskStates['saga.order'].placeholder).toBe('TaskFunction_stepflow_saga');
  });

  it('a workflow without compensate compiles as before', () => {
    const { asl, functions } = compile(`workflow:
  name: example
  tasks:
    - { name: a, handler: ${ECHO} }
`);
    expect(stateOf(asl.States, 'a', 'Task').Catch).toBeUndefined();
    expect(Object.keys(asl.States)).toEqual(['a']);
    expect(functions.map((f) => f.id)).not.toContain('stepflow_saga');
  });

  it('parallel branches end on failure with what completed; a check after the Parallel goes to the compensations', () => {
    const { asl, strategy } = compile(`workflow:
  name: example
  engine: { type: parallel }
  tasks:
    - { name: a, handler: ${ECHO}, compensate: ${ECHO}#other }
    - { name: b, handler: ${ECHO}, compensate: ${ECHO}#other }
`);
    const parallel = stateOf(asl.States, 'parallel.1', 'Parallel');
    expect(parallel.Next).toBe('parallel.1.check');
    expect(parallel.Branches[0].States.a).toMatchObject({ Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$._saga_failed', Next: 'parallel.1.branch0.failed' }] });
    expect(parallel.Branches[0].States['parallel.1.branch0.failed']).toEqual({ Type: 'Pass', End: true });
    expect(stateOf(asl.States, 'parallel.1.check', 'Choice')).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$._saga_failed', IsPresent: true, Next: 'saga.order' }],
      Default: 'parallel.1.passed',
    });
    expect(stateOf(asl.States, 'parallel.1.passed', 'Succeed')).toEqual({ Type: 'Succeed' });
    // Parallel, its check and the Succeed; each branch a task and its completion record.
    expect(strategy?.transitions).toBe(3 + 2 * 2);
  });

  it('runs on aws-local-stepfunctions: compensations in reverse order, the failure kept', async () => {
    const { asl } = compile(sequential);
    const ran: string[] = [];
    const result = runOffline(asl, {
      a: () => ({ ok: 'a' }),
      b: () => ({ ok: 'b' }),
      c: () => {
        throw taskError('Boom', 'c broke');
      },
      'saga.order': (input: { data: Record<string, unknown> }) => ({
        failure: input.data._saga_failed,
        compensations: [{ task: 'b', id: 'x:b', result: input.data.b }, { task: 'a', id: 'x:a', result: input.data.a }],
      }),
      'b.compensate': (input: { compensation: { id: string } }) => {
        ran.push(input.compensation.id);
        return {};
      },
      'a.compensate': (input: { compensation: { id: string } }) => {
        ran.push(input.compensation.id);
        return {};
      },
      'saga.report': (input: { failure: { Error: string; Cause: string }; compensations: unknown[] }) => {
        expect(input.compensations).toEqual([{ task: 'b', outcome: 'compensated' }, { task: 'a', outcome: 'compensated' }]);
        return { error: input.failure.Error, cause: input.failure.Cause };
      },
    } as never);
    await expect(result).rejects.toMatchObject({ cause: { name: 'Boom', message: 'c broke' } });
    expect(ran).toEqual(['x:b', 'x:a']);
  });

  it('refuses what cannot be compensated', () => {
    const codes = (yaml: string) => loadDefinitionText(yaml, FILE).diagnostics.map((d) => [d.code, d.path.join('.')]);
    expect(codes(`workflow:
  engine: { type: parallel, dag: gated }
  tasks:
    - { name: a, handler: ${ECHO}, compensate: ${ECHO}#other }
`)).toContainEqual(['unsupported_strategy', 'workflow.engine.dag']);
    expect(codes(`workflow:
  engine: { type: parallel, max_concurrent_tasks: 2 }
  tasks:
    - { name: a, handler: ${ECHO}, compensate: ${ECHO}#other }
`)).toContainEqual(['unsupported_strategy', 'workflow.engine.max_concurrent_tasks']);
    expect(codes(`workflow:
  tasks:
    - { name: a, handler: ${ECHO}, compensate: { retries: 2 } }
`)).toContainEqual(['invalid_compensation', 'workflow.tasks.0.compensate']);
    expect(codes(`workflow:
  tasks:
    - { name: a, handler: ${ECHO}, compensate: ${ECHO}#nope }
`)).toContainEqual(['export_not_found', 'workflow.tasks.0.compensate']);
  });
});

describe('saga and callback graphs', () => {
  it('draws each compensation beside its task and callback tasks as stadiums', async () => {
    const { workflowMermaid } = await import('../../../core/compiler/mermaid.ts');
    const { definitionOf } = await import('./support.ts');
    const text = workflowMermaid(definitionOf(`workflow:
  name: example
  services:
    partner: { url: "https://partner.example.com" }
  tasks:
    - { name: a, handler: ${ECHO}, compensate: ${ECHO}#other }
    - { name: b, type: callback, service: partner, depends_on: [a] }
`));
    expect(text).toContain('c_a{{"undo a<br/><small>echo.ts#other</small>"}}');
    expect(text).toContain('t_a -. compensate .-> c_a');
    expect(text).toContain('t_b(["b<br/><small>callback: partner</small>"])');
  });
});

describe('callback tasks', () => {
  const codes = (yaml: string) => loadDefinitionText(yaml, FILE).diagnostics.map((d) => [d.code, d.path.join('.')]);
  const services = `  services:\n    partner: { url: "https://partner.example.com" }\n`;

  it('compile to a .waitForTaskToken state through the service invoker, the token in its payload', () => {
    const { asl, taskStates } = compile(`workflow:
  name: example
${services}  tasks:
    - { name: ask, type: callback, service: partner, timeout: 2h, heartbeat: 5m }
`);
    const ask = stateOf(asl.States, 'ask', 'Task');
    expect(ask.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(ask.TimeoutSeconds).toBe(7200);
    expect(ask.HeartbeatSeconds).toBe(300);
    expect(ask.Parameters).toMatchObject({ FunctionName: '${ServiceInvoker}', Payload: { task: 'ask', 'token.$': '$$.Task.Token', service: { name: 'partner' } } });
    expect(taskStates.ask).toMatchObject({ kind: 'service', placeholder: 'ServiceInvoker' });
  });

  it('refuses a heartbeat as long as the timeout, callbacks in express workflows, and callback keys on other tasks', () => {
    expect(codes(`workflow:
${services}  tasks:
    - { name: ask, type: callback, service: partner, timeout: 60s, heartbeat: 60s }
`)).toContainEqual(['value_out_of_range', 'workflow.tasks.0.heartbeat']);
    expect(codes(`workflow:
  engine: { mode: express }
${services}  tasks:
    - { name: ask, type: callback, service: partner }
`)).toContainEqual(['unsupported_strategy', 'workflow.tasks.0.type']);
    expect(codes(`workflow:
  tasks:
    - { name: a, handler: ${ECHO}, heartbeat: 10s }
`)).toContainEqual(['invalid_value', 'workflow.tasks.0.heartbeat']);
  });
});
