import { describe, expect, it } from 'vitest';
import { StepflowError } from '../../../core/errors.ts';
import { EventBridgeError } from '../../../local/emulators/eventbridge/eventbridge-error.ts';
import { SchedulerError } from '../../../local/emulators/scheduler/scheduler-error.ts';
import { StepFunctionsError } from '../../../local/emulators/stepfunctions/step-functions-error.ts';
import { BodyTooLarge } from '../../../local/private/http.ts';

describe('emulator errors', () => {
  it('are StepflowErrors whose code and name are the wire error code', () => {
    const errors = [new StepFunctionsError('InvalidArn', 'bad'), new EventBridgeError('ResourceNotFoundException', 'gone'), new SchedulerError('ConflictException', 'taken')];

    expect(errors.map((e) => [e instanceof StepflowError, e.code, e.name])).toEqual([
      [true, 'InvalidArn', 'InvalidArn'],
      [true, 'ResourceNotFoundException', 'ResourceNotFoundException'],
      [true, 'ConflictException', 'ConflictException'],
    ]);
  });

  it('give Scheduler errors the HTTP status of their code', () => {
    expect(['ValidationException', 'ConflictException', 'ResourceNotFoundException'].map((code) => new SchedulerError(code as never, '').status)).toEqual([400, 409, 404]);
  });

  it('make a body over the limit a StepflowError coded BodyTooLarge, carrying the limit', () => {
    const error = new BodyTooLarge(1024);

    expect(error).toBeInstanceOf(StepflowError);
    expect(error).toMatchObject({ code: 'BodyTooLarge', name: 'BodyTooLarge', limit: 1024, message: 'request body exceeds 1024 bytes' });
  });
});
