import { gunzipSync } from 'node:zlib';
import {
  EXECUTION_LOG_STATUSES,
  executionLogRecordSchema,
  logsSubscriptionDataSchema,
  parseExecutionArnParts,
} from '../../core/contracts/execution-log-event.ts';
import { NonRetriableError } from '../../core/errors.ts';
import type { StatusChange } from '../executions/execution-store.ts';

/** A CloudWatch Logs subscription invocation: `{ awslogs: { data: base64(gzip(JSON)) } }`. */
export function isLogsSubscriptionEvent(event: unknown): event is { readonly awslogs: { readonly data: string } } {
  const awslogs = (event as { awslogs?: { data?: unknown } } | null)?.awslogs;
  return typeof awslogs?.data === 'string';
}

/**
 * The status changes in one subscription delivery of a state machine's execution log: one per
 * execution-level event, in log order. Control messages carry none. Records that are not execution
 * events (the filter lets none through) are skipped; a delivery that cannot be decoded is NonRetriable.
 */
export function executionLogChanges(
  event: { readonly awslogs: { readonly data: string } },
  workflowOf: (stateMachineArn: string) => string,
): StatusChange[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'));
  } catch (error) {
    throw new NonRetriableError(`not a CloudWatch Logs subscription delivery: ${(error as Error).message}`, { cause: error });
  }
  const data = logsSubscriptionDataSchema.safeParse(decoded);
  if (!data.success) throw new NonRetriableError(`not a CloudWatch Logs subscription delivery: ${data.error.message}`, { cause: data.error });
  if (data.data.messageType === 'CONTROL_MESSAGE') return [];
  const changes: StatusChange[] = [];
  for (const logEvent of data.data.logEvents) {
    let message: unknown;
    try {
      message = JSON.parse(logEvent.message);
    } catch {
      continue;
    }
    const record = executionLogRecordSchema.safeParse(message);
    const arn = record.success ? parseExecutionArnParts(record.data.execution_arn) : undefined;
    if (!record.success || !arn) continue;
    const { type, details, event_timestamp: at, redrive_count: redriveCount } = record.data;
    const when = new Date(at).toISOString();
    const status = EXECUTION_LOG_STATUSES[type];
    changes.push({
      workflow: workflowOf(arn.stateMachineArn),
      executionId: arn.name,
      executionArn: record.data.execution_arn,
      status,
      // Only ExecutionStarted knows the start; the store keeps the first start it was given.
      startDate: when,
      redriveCount: redriveCount ?? 0,
      ...(status !== 'RUNNING' ? { stopDate: when } : {}),
      ...(details?.input != null && !details.inputDetails?.truncated ? { input: details.input } : {}),
      ...(details?.output != null && !details.outputDetails?.truncated ? { output: details.output } : {}),
      ...(details?.error != null ? { error: details.error } : {}),
      ...(details?.cause != null ? { cause: details.cause } : {}),
    });
  }
  return changes;
}
