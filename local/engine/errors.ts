import { StepflowError, type StepflowErrorOptions } from '../../core/errors.ts';

/**
 * Errors of the engine's API. Each `name` is the Step Functions error code AWS returns for the same
 * situation, so the SFN server turns `error.name` into the wire `__type` unchanged.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html#API_StartExecution_Errors
 * Their `code` is the same name.
 */
export class EngineError extends StepflowError {
  constructor(message: string, options?: StepflowErrorOptions) {
    super(message, options);
    this.name = 'EngineError';
  }
}

export class StateMachineDoesNotExist extends EngineError {
  constructor(arnOrName: string) {
    super(`State Machine Does Not Exist: '${arnOrName}'`);
    this.name = 'StateMachineDoesNotExist';
  }
}

export class ExecutionDoesNotExist extends EngineError {
  constructor(arn: string) {
    super(`Execution Does Not Exist: '${arn}'`);
    this.name = 'ExecutionDoesNotExist';
  }
}

export class ExecutionAlreadyExists extends EngineError {
  constructor(arn: string) {
    super(`Execution Already Exists: '${arn}'`);
    this.name = 'ExecutionAlreadyExists';
  }
}

export class InvalidName extends EngineError {
  constructor(name: string) {
    super(`Invalid Name: '${name}' (1-80 characters; no whitespace, brackets, wildcards, punctuation or control characters)`);
    this.name = 'InvalidName';
  }
}

export class InvalidExecutionInput extends EngineError {
  constructor(message: string) {
    super(`Invalid Execution Input: ${message}`);
    this.name = 'InvalidExecutionInput';
  }
}

export class EngineClosed extends EngineError {
  constructor() {
    super('the offline engine is shutting down and accepts no new executions');
    this.name = 'EngineClosed';
  }
}

export class InvalidArn extends EngineError {
  constructor(arn: string) {
    super(`Invalid Arn: '${arn}'`);
    this.name = 'InvalidArn';
  }
}

/** RedriveExecution refused (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html#API_RedriveExecution_Errors). */
export class ExecutionNotRedrivable extends EngineError {
  constructor(arn: string, reason: string) {
    super(`Execution Not Redrivable: '${arn}': ${reason}`);
    this.name = 'ExecutionNotRedrivable';
  }
}
