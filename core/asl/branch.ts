/**
 * A machine inside a state: a Parallel branch or a Map's item processor. Generic in its state type so
 * the state kinds that nest one do not import the union of every kind (index.ts closes the loop).
 */
export interface Branch<State> {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly States: Record<string, State>;
}
