/**
 * One entry of a state's `Catch`: once retries are spent, the first catcher naming the error moves to
 * `Next`, with the error output `{ Error, Cause }` placed at ResultPath.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-fallback-states
 */
export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  /** @default '$' (the error output replaces the input) */
  readonly ResultPath?: string | null;
}
