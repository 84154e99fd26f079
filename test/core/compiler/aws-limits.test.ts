import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StateMachineDefinition } from '../../../core/asl/index.ts';
import { awsLimitDiagnostics } from '../../../core/compiler/aws-limits.ts';
import { ECHO, check, definitionOf } from './support.ts';

const FILE = resolve('test/fixtures/definitions/example.yaml');

describe('awsLimitDiagnostics', () => {
  const definition = definitionOf(`workflow:\n  tasks:\n    - { name: a, handler: ${ECHO} }\n`);
  const taskStates = { a: { task: 'a', kind: 'function' as const, placeholder: 'TaskFunction_echo' } };

  it('refuses more than 10 intrinsic functions in one field, and state names over 80 characters', () => {
    const eleven = Array.from({ length: 11 }, () => 'States.Array(').join('') + '$' + ')'.repeat(11);
    const asl: StateMachineDefinition = {
      StartAt: 'a',
      States: {
        a: { Type: 'Task', Resource: '${TaskFunction_echo}', Parameters: { 'deep.$': eleven }, Next: 'x'.repeat(81) },
        ['x'.repeat(81)]: { Type: 'Pass', End: true },
      },
    };
    expect(awsLimitDiagnostics(definition, asl, taskStates)).toEqual([
      {
        code: 'intrinsic_nesting', severity: 'error', file: FILE, line: 3, path: ['workflow', 'tasks', 0],
        message: 'state "a" field Parameters.deep.$ holds 11 intrinsic functions; Step Functions allows 10 in one field',
      },
      {
        code: 'state_name_too_long', severity: 'error', file: FILE, line: undefined, path: ['workflow', 'tasks'],
        message: `state name "${'x'.repeat(30)}…" has 81 characters; Step Functions allows 80`,
      },
    ]);
  });

  it('refuses a definition over 1 MB', () => {
    // GIVEN twelve tasks with 100 KB descriptions (each becomes its Task state's Comment)
    const tasks = Array.from({ length: 12 }, (_, i) => `    - { name: t${i}, handler: ${ECHO}, description: "${'d'.repeat(100_000)}" }`).join('\n');
    const { plan, diagnostics } = check(`workflow:\n  tasks:\n${tasks}\n`);
    expect(plan).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({
      code: 'definition_too_large',
      path: ['workflow', 'tasks'],
      message: expect.stringMatching(/^the state machine definition takes \d+ bytes; Step Functions allows 1048576 \(split the workflow\)$/),
    })]);
  });

  it('does not count history events of express workflows, which keep none', () => {
    const { diagnostics } = check(`workflow:\n  engine: { mode: express }\n  tasks:\n    - { name: a, handler: ${ECHO}, retries: 7000 }\n`);
    expect(diagnostics).toEqual([]);
  });
});
