import { LambdaTaskError } from './lambda-error.ts';

/** What a Task state's attempt gave, as the journal keeps it: its result, or its error as the interpreter saw it. */
export type RecordedOutcome =
  | { readonly result: unknown; readonly error?: undefined }
  | { readonly error: RecordedError; readonly result?: undefined };

export interface RecordedError {
  readonly name: string;
  readonly message: string;
  /** The Cause the execution reports, when it is not the message. */
  readonly cause?: string;
}

/** Key of one attempt of one state: state names are unique in a state machine, attempts count from 0. */
export function outcomeKey(state: string, attempt: number): string {
  return `${attempt}:${state}`;
}

/** The error a handler's failure became, as the journal keeps it. */
export function recordError(thrown: unknown): RecordedError {
  const error = thrown instanceof Error ? thrown : LambdaTaskError.from(thrown);
  const cause = (error as Error & { cause?: unknown }).cause;
  return { name: error.name, message: error.message, ...(typeof cause === 'string' && cause !== error.message ? { cause } : {}) };
}

/**
 * The recorded error again, for the interpreter: it reads only `name` (Retry and Catch), `message` (the
 * Cause a Catch sees) and `cause ?? message` (the execution's Cause), so replaying gives the same run.
 */
export function replayError(recorded: RecordedError): Error {
  const error = new Error(recorded.message, recorded.cause === undefined ? undefined : { cause: recorded.cause });
  error.name = recorded.name;
  if (recorded.cause === undefined) (error as Error & { cause?: unknown }).cause = recorded.message;
  return error;
}
