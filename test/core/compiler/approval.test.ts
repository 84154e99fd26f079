import { describe, expect, it } from 'vitest';
import { workflowMermaid } from '../../../core/compiler/mermaid.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { ECHO, FILE, compile, definitionOf, stateOf } from './support.ts';

const release = `workflow:
  name: example
  tasks:
    - { name: build, handler: ${ECHO} }
    - { name: sign_off, type: approval, approvers: "release leads", expires: 2h, depends_on: [build] }
    - { name: ship, handler: ${ECHO}, depends_on: [sign_off] }
`;

describe('approval tasks', () => {
  it('compile to a .waitForTaskToken state invoking the approvals function, timing out into an expiry and a rejection', () => {
    const { asl, functions, taskStates } = compile(release);
    expect(Object.keys(asl.States)).toEqual(['build', 'sign_off', 'ship', 'sign_off.expired', 'sign_off.rejected']);
    const wait = stateOf(asl.States, 'sign_off', 'Task');
    expect(wait).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: '${TaskFunction_stepflow_approvals}',
        Payload: { action: 'request', workflow: 'example', task: 'sign_off', approvers: 'release leads', expiresSeconds: 7200, 'token.$': '$$.Task.Token', 'executionArn.$': '$$.Execution.Id' },
      },
      ResultPath: '$.sign_off',
      TimeoutSeconds: 7200,
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'sign_off.expired' }],
      Next: 'ship',
    });
    expect(stateOf(asl.States, 'sign_off.expired', 'Task')).toMatchObject({ Parameters: { action: 'expire', task: 'sign_off' }, Next: 'sign_off.rejected' });
    expect(stateOf(asl.States, 'sign_off.rejected', 'Fail')).toEqual({ Type: 'Fail', Error: 'stepflow.ApprovalRejected', Cause: 'expired' });
    expect(functions.map((f) => f.id)).toContain('stepflow_approvals');
    expect(taskStates['sign_off']).toMatchObject({ kind: 'function', placeholder: 'TaskFunction_stepflow_approvals' });
  });

  it('defaults to 24 hours, and the graph shows who decides', () => {
    const { asl } = compile(release.replace(', expires: 2h', ''));
    expect(stateOf(asl.States, 'sign_off', 'Task').TimeoutSeconds).toBe(86_400);
    expect(workflowMermaid(definitionOf(release))).toContain('t_sign_off>"sign_off<br/><small>approval: release leads, expires in 7200s</small>"]');
  });

  it('refuses what does not apply to an approval, with the path and line', () => {
    const { diagnostics } = loadDefinitionText(`workflow:
  name: example
  engine: { mode: express }
  tasks:
    - { name: build, handler: ${ECHO}, approvers: nobody }
    - { name: sign_off, type: approval, handler: ${ECHO}, expires: 0s, on_failure: continue }
`, FILE);
    // on_failure applies to approvals too: no diagnostic names it.
    expect(diagnostics.map((d) => [d.code, d.path.join('.'), d.line])).toEqual([
      ['invalid_value', 'workflow.tasks.0.approvers', 5],
      ['unsupported_strategy', 'workflow.tasks.1.type', 6],
      ['invalid_value', 'workflow.tasks.1.handler', 6],
      ['value_out_of_range', 'workflow.tasks.1.expires', 6],
    ]);
  });

  it('with on_failure, a rejection is caught into { error, cause } and an expiry recorded as one; then the next task', () => {
    const { asl } = compile(`workflow:
  name: example
  tasks:
    - { name: build, handler: ${ECHO} }
    - { name: sign_off, type: approval, expires: 2h, on_failure: continue, depends_on: [build] }
    - { name: ship, handler: ${ECHO}, depends_on: [sign_off] }
`);
    expect(stateOf(asl.States, 'sign_off', 'Task').Catch).toEqual([
      { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'sign_off.expired' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.sign_off', Next: 'sign_off.caught' },
    ]);
    expect(stateOf(asl.States, 'sign_off.rejected', 'Pass')).toEqual({ Type: 'Pass', Result: { error: 'stepflow.ApprovalRejected', cause: 'expired' }, ResultPath: '$.sign_off', Next: 'ship' });
  });

  it('inside a saga, an expiry goes to the compensation path as a caught failure would', () => {
    const { asl } = compile(`workflow:
  name: example
  tasks:
    - { name: build, handler: ${ECHO}, compensate: ${ECHO}#other }
    - { name: sign_off, type: approval, expires: 2h, depends_on: [build] }
`);
    expect(stateOf(asl.States, 'sign_off', 'Task').Catch).toEqual([
      { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'sign_off.expired' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$._saga_failed', Next: 'saga.order' },
    ]);
    expect(stateOf(asl.States, 'sign_off.rejected', 'Pass')).toEqual({ Type: 'Pass', Result: { Error: 'stepflow.ApprovalRejected', Cause: 'expired' }, ResultPath: '$._saga_failed', Next: 'saga.order' });
  });
});
