import { StepflowError } from '../../core/errors.ts';

/**
 * What Step Functions reports when a Lambda task throws: `Error` is the error's name and `Cause` the
 * Node.js runtime's JSON envelope (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */
export interface LambdaErrorEnvelope {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

export function lambdaErrorEnvelope(thrown: unknown): LambdaErrorEnvelope {
  if (thrown instanceof Error) {
    return {
      errorType: thrown.name || 'Error',
      errorMessage: thrown.message,
      trace: (thrown.stack ?? '').split('\n').filter((line) => line.length > 0),
    };
  }
  // The Node.js runtime reports a thrown non-Error with its typeof as the type.
  return { errorType: typeof thrown, errorMessage: typeof thrown === 'string' ? thrown : JSON.stringify(thrown) ?? String(thrown), trace: [] };
}

/**
 * The error the engine hands to aws-local-stepfunctions for a failed handler. The library reports
 * `error.name` as Error, `error.cause ?? error.message` as the execution's Cause, and `error.message`
 * as the Cause seen by a Catch, so both carry the envelope. Its `name` is the task's error type (what
 * ASL matches); its `code` stays `LambdaTaskError` whatever the task threw.
 */
export class LambdaTaskError extends StepflowError {
  readonly envelope: LambdaErrorEnvelope;

  constructor(envelope: LambdaErrorEnvelope) {
    const cause = JSON.stringify(envelope);
    super(cause, { cause, code: 'LambdaTaskError' });
    this.name = envelope.errorType;
    this.envelope = envelope;
  }

  static from(thrown: unknown): LambdaTaskError {
    return thrown instanceof LambdaTaskError ? thrown : new LambdaTaskError(lambdaErrorEnvelope(thrown));
  }
}
