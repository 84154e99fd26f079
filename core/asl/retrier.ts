/**
 * One entry of a state's `Retry`: retriers are tried in order and the first whose ErrorEquals names the
 * error (exactly; `States.ALL` matches any) decides.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error
 */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  /** Seconds before the first retry. @default 1 */
  readonly IntervalSeconds?: number;
  /** Retries at most; 0 means never. @default 3 */
  readonly MaxAttempts?: number;
  /** Multiplier of the interval after each attempt. @default 2 */
  readonly BackoffRate?: number;
  /** Ceiling on the interval, in seconds. @default none */
  readonly MaxDelaySeconds?: number;
  /** @default 'NONE' */
  readonly JitterStrategy?: 'FULL' | 'NONE';
}
