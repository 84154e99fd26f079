import type { ExecutionEntry } from './execution-table.ts';

/**
 * RedriveExecution's conditions (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html,
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html): a Standard
 * execution that ended FAILED, TIMED_OUT or ABORTED at most 14 days ago, redriven fewer than 1000 times.
 */
export const REDRIVABLE_STATUSES: readonly string[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];
const REDRIVE_PERIOD_MS = 14 * 24 * 3600 * 1000;
const MAX_REDRIVES = 1000;

/**
 * Why RedriveExecution refuses the execution at `now` (DescribeExecution's redriveStatusReason), or
 * undefined when it would redrive it. `mode` is its workflow's, undefined when no longer defined.
 */
export function redriveRefusalOf(entry: ExecutionEntry, mode: 'STANDARD' | 'EXPRESS' | undefined, now: number): string | undefined {
  const { description } = entry;
  if (!mode) return `its state machine "${description.workflow}" is no longer defined`;
  if (mode === 'EXPRESS') return 'executions of EXPRESS state machines cannot be redriven';
  if (!REDRIVABLE_STATUSES.includes(description.status)) {
    return `its status is ${description.status}; only ${REDRIVABLE_STATUSES.join(', ')} executions can be redriven`;
  }
  if (description.stopDate && now - description.stopDate.getTime() > REDRIVE_PERIOD_MS) return 'it ended more than 14 days ago';
  if ((description.redriveCount ?? 0) >= MAX_REDRIVES) return `it has been redriven ${MAX_REDRIVES} times`;
  if (!entry.redrivable) return 'the outcomes of its tasks were not kept';
  return undefined;
}
