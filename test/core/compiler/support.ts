import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { AslState, StateOfType } from '../../../core/asl/index.ts';
import { checkWorkflow, compileWorkflow } from '../../../core/compiler/compile.ts';
import type { WorkflowDefinition } from '../../../core/definition/model.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';

/** Definitions in these tests sit here, so handlers are `../handlers/echo.ts`. */
export const FILE = resolve('test/fixtures/definitions/example.yaml');
export const ECHO = '../handlers/echo.ts';

export function definitionOf(yaml: string): WorkflowDefinition {
  const { definition, diagnostics } = loadDefinitionText(yaml, FILE);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return definition;
}

export const compile = (yaml: string) => compileWorkflow(definitionOf(yaml), { projectRoot: resolve('.') });
export const check = (yaml: string) => checkWorkflow(definitionOf(yaml), { projectRoot: resolve('.') });

/** The state called `name`, checked to be of kind `type` (so its kind's fields can be read). */
export function stateOf<T extends AslState['Type']>(states: Record<string, AslState>, name: string, type: T): StateOfType<T> {
  const state = states[name];
  expect(state?.Type).toBe(type);
  return state as StateOfType<T>;
}

export const LAMBDA_RETRY = {
  ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
};

/** The payload a Task state sends its Lambda. */
export const payload = (task: string, first: boolean, workflow = 'example') => ({
  task,
  workflow,
  'execution.$': '$$.Execution.Id',
  'attempt.$': '$$.State.RetryCount',
  'input.$': '$$.Execution.Input',
  ...(first ? { results: {} } : { 'results.$': '$' }),
});

/** `n` independent tasks t0 … t(n-1), in YAML. */
export const independentTasks = (n: number, extra = '') =>
  Array.from({ length: n }, (_, i) => `    - { name: t${i}, handler: ${ECHO}${extra} }`).join('\n');
