/**
 * One Task state invocation that succeeded: the state, its input (before Context Object bindings, so
 * the same for every attempt) as JSON text, and its result.
 */
export interface SucceededTask {
  readonly state: string;
  readonly input: string;
  readonly result: unknown;
}

/**
 * The Task state invocations of one run that succeeded, whether run or replayed. When the run ends
 * FAILED, TIMED_OUT or ABORTED they are what a redrive must not run again
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
 * Inputs are kept as given and turned into JSON text only when the ledger is read: most runs succeed,
 * and theirs is never read.
 */
export class SucceededTasks {
  private readonly list: { state: string; input: unknown; result: unknown }[] = [];

  record(state: string, input: unknown, result: unknown): void {
    this.list.push({ state, input, result });
  }

  toJSON(): SucceededTask[] {
    return this.list.map(({ state, input, result }) => ({ state, input: JSON.stringify(input ?? null), result }));
  }
}

/**
 * What a redriven run answers without running: the previous run's succeeded invocations, matched by state
 * and input, each used once, in the order they were recorded (a Map state's iterations differ by input; two
 * invocations with the same state and input are interchangeable). Built afresh for each run from the same
 * list, so a run resumed after a restart replays the same way.
 */
export class RedriveReplay {
  private readonly byKey = new Map<string, unknown[]>();

  constructor(readonly succeeded: readonly SucceededTask[]) {
    for (const { state, input, result } of succeeded) {
      const key = replayKey(state, input);
      const results = this.byKey.get(key);
      if (results) results.push(result);
      else this.byKey.set(key, [result]);
    }
  }

  /** The recorded result of this invocation, taken so it is not used again; undefined when the state must run. */
  take(state: string, input: unknown): { readonly result: unknown } | undefined {
    if (this.byKey.size === 0) return undefined;
    const key = replayKey(state, JSON.stringify(input ?? null));
    const results = this.byKey.get(key);
    if (!results?.length) return undefined;
    const result = results.shift();
    if (results.length === 0) this.byKey.delete(key);
    return { result };
  }
}

function replayKey(state: string, input: string): string {
  return `${state}\u0000${input}`;
}
