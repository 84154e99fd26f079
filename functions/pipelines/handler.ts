import { NonRetriableError, StepflowError } from '../../core/errors.ts';
import {
  ITEM_FAILURE_KEY,
  TOLERATED_FAILURE_EXCEEDED,
  type ItemFailure,
  type ToleranceRequest,
  type ToleratedResult,
} from '../../core/contracts/fan-out.ts';

/** More items of a fan-out stage failed than it tolerates; the Cause lists the failures. */
export class ToleratedFailureExceeded extends StepflowError {
  constructor(message: string) {
    super(message);
    this.name = TOLERATED_FAILURE_EXCEEDED;
  }
}

/**
 * The pipeline function: after a fan-out stage's Map, counts the items that failed (each left a failure
 * record, caught inside its iteration) and fails the stage when their share exceeds the tolerance; else
 * returns the results with the failures listed. An inline Map has no ToleratedFailurePercentage (a
 * Distributed Map feature: https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html),
 * and ASL cannot compute a share, so both modes check here. Pure computation.
 */
export async function handler(event: unknown): Promise<ToleratedResult> {
  const request = event as Partial<ToleranceRequest> | null;
  if (request?.action !== 'tolerance' || !Array.isArray(request.items) || typeof request.tolerance !== 'number') {
    throw new NonRetriableError(`pipeline function: expected { action: "tolerance", tolerance, items }, got action ${JSON.stringify(request?.action)}`);
  }
  return checkTolerance(request as ToleranceRequest);
}

export function checkTolerance(request: ToleranceRequest): ToleratedResult {
  const failures: ItemFailure[] = [];
  const items = request.items.map((result, index) => {
    const failure = failureOf(result);
    if (!failure) return result;
    failures.push({ index, ...failure });
    return null;
  });
  const total = items.length;
  const failed = failures.length;
  // Step Functions fails a Distributed Map when the failed share *exceeds* the tolerance.
  if (total > 0 && failed * 100 > request.tolerance * total) {
    const shown = failures.slice(0, 5).map((f) => `item ${f.index}: ${f.error}${f.cause ? ` (${f.cause.slice(0, 200)})` : ''}`).join('; ');
    throw new ToleratedFailureExceeded(`stage "${request.stage}": ${failed} of ${total} items failed (${round(failed * 100 / total)}%), more than the tolerated ${request.tolerance}%: ${shown}${failed > 5 ? '; …' : ''}`);
  }
  return { items, failures, failed, total };
}

function failureOf(result: unknown): { error: string; cause?: string } | undefined {
  if (typeof result !== 'object' || result === null || !(ITEM_FAILURE_KEY in result)) return undefined;
  const record = (result as Record<string, { Error?: string; Cause?: string }>)[ITEM_FAILURE_KEY] ?? {};
  return { error: record.Error ?? 'States.Runtime', ...(record.Cause !== undefined ? { cause: record.Cause } : {}) };
}

const round = (n: number) => Math.round(n * 10) / 10;
