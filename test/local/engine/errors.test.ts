import { describe, expect, it } from 'vitest';
import { StepflowError } from '../../../core/errors.ts';
import {
  EngineClosed, EngineError, ExecutionAlreadyExists, ExecutionDoesNotExist, InvalidArn, InvalidExecutionInput, InvalidName,
  StateMachineDoesNotExist,
} from '../../../local/engine/errors.ts';
import { LambdaTaskError, lambdaErrorEnvelope } from '../../../local/engine/lambda-error.ts';

describe('engine errors', () => {
  it.each([
    ['StateMachineDoesNotExist', new StateMachineDoesNotExist('orders')],
    ['ExecutionDoesNotExist', new ExecutionDoesNotExist('arn')],
    ['ExecutionAlreadyExists', new ExecutionAlreadyExists('arn')],
    ['InvalidName', new InvalidName('a b')],
    ['InvalidExecutionInput', new InvalidExecutionInput('not JSON')],
    ['EngineClosed', new EngineClosed()],
    ['InvalidArn', new InvalidArn('arn')],
  ])('%s keeps the Step Functions error code as its name and its code', (name, error) => {
    // The SFN server sends `name` as the wire __type.
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toBeInstanceOf(StepflowError);
    expect(error.name).toBe(name);
    expect(error.code).toBe(name);
  });
});

describe('LambdaTaskError', () => {
  it('is named for what the task threw (what ASL matches) and keeps its own code', () => {
    class PrimaryStoreDown extends Error {
      override readonly name = 'PrimaryStoreDown';
    }
    const error = LambdaTaskError.from(new PrimaryStoreDown('down'));
    expect(error).toBeInstanceOf(StepflowError);
    expect(error.name).toBe('PrimaryStoreDown');
    expect(error.code).toBe('LambdaTaskError');
    expect(JSON.parse(error.message)).toMatchObject({ errorType: 'PrimaryStoreDown', errorMessage: 'down' });
    expect(lambdaErrorEnvelope('plain').errorType).toBe('string');
  });
});
