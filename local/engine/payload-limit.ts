import { MAX_PAYLOAD_BYTES } from '../../core/asl/limits.ts';
import { StepflowError } from '../../core/errors.ts';
import type { LocalTaskState } from './prepare-asl.ts';

/**
 * A task's result, or the state data it makes, is over 262,144 bytes. Step Functions fails the
 * execution with States.DataLimitExceeded, which neither Retry nor Catch on States.ALL matches
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). aws-local-stepfunctions
 * reads `isRetryable` and `isCatchable` from the error, so none of its retriers or catchers applies.
 */
export class DataLimitExceeded extends StepflowError {
  readonly isRetryable = false;
  readonly isCatchable = false;

  constructor(message: string) {
    super(message, { code: 'States.DataLimitExceeded' });
    this.name = 'States.DataLimitExceeded';
  }
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null));

/**
 * Throws DataLimitExceeded when `result`, or the state data the state makes of it, is over the limit.
 * The state's input is the `results` its payload carries (stepflow's Task states pass the state data
 * there); for other payloads only the result is measured.
 */
export function checkPayload(task: LocalTaskState, event: unknown, result: unknown): void {
  if (task.unlimitedPayload) return;
  const resultBytes = bytes(result);
  if (resultBytes > MAX_PAYLOAD_BYTES) {
    throw new DataLimitExceeded(`The state/task '${task.stateName}' returned a result with a size exceeding the maximum number of bytes service limit (${resultBytes} > ${MAX_PAYLOAD_BYTES}).`);
  }
  const output = stateData(task, event, result);
  const outputBytes = output === undefined ? 0 : bytes(output);
  if (outputBytes > MAX_PAYLOAD_BYTES) {
    throw new DataLimitExceeded(`The state '${task.stateName}' produced state data exceeding the maximum number of bytes service limit (${outputBytes} > ${MAX_PAYLOAD_BYTES}).`);
  }
}

function stateData(task: LocalTaskState, event: unknown, result: unknown): unknown {
  const input = (event as { results?: unknown } | null)?.results;
  switch (task.output.kind) {
    case 'keyed':
      return { [task.output.key]: result };
    case 'result':
      return result;
    case 'input':
      return undefined;
    case 'path': {
      if (typeof input !== 'object' || input === null) return undefined;
      const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
      let at = out;
      const path = task.output.path;
      for (const key of path.slice(0, -1)) {
        const next = at[key];
        at = at[key] = typeof next === 'object' && next !== null ? { ...(next as Record<string, unknown>) } : {};
      }
      at[path[path.length - 1]] = result;
      return out;
    }
  }
}
