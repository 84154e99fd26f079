/**
 * How a state that is neither a Choice nor terminal ends: exactly one of `Next` (the state that runs after
 * it) and `End: true` (the end of the machine or branch).
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-transitions.html
 */
export type Transition =
  | { readonly Next: string; readonly End?: never }
  | { readonly End: true; readonly Next?: never };

/** `Next` when there is a next state, else `End: true`. */
export function transition(next: string | undefined): Transition {
  return next ? { Next: next } : { End: true };
}

/** The state a state hands over to, if it names one with `Next`. */
export function nextOf(state: object): string | undefined {
  return 'Next' in state && typeof state.Next === 'string' ? state.Next : undefined;
}
