import { StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineDefinition } from '../../../core/asl/index.ts';

/**
 * Runs compiled ASL on aws-local-stepfunctions, the interpreter the offline engine is built on, with
 * each Task state answered by `handlers[stateName]` (its Parameters-applied input in, its result out;
 * a throw is the task's error: `name` its Error, `message` its Cause).
 */
export async function runOffline(asl: StateMachineDefinition, handlers: Record<string, (input: never) => unknown>, input: unknown = {}): Promise<unknown> {
  // Placeholders become function ARNs, as CDK's DefinitionSubstitutions make them; none is ever called.
  // `"ResultPath": "$"` goes, as the offline engine drops it: the library would write a key named "$".
  const text = JSON.stringify(asl)
    .replace(/\$\{([A-Za-z0-9_]+)\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:$1')
    .replaceAll(',"ResultPath":"$"', '');
  const machine = new StateMachine(JSON.parse(text), { validationOptions: { checkArn: true, checkPaths: true } });
  const context = { Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:example:test', Input: input as never }, State: { RetryCount: 0 } };
  const run = machine.run(input as never, { overrides: { taskResourceLocalHandlers: handlers as never }, context });
  return run.result;
}

/** An error as a Lambda task reports it: its name is the Error, its message the Cause. */
export function taskError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}
