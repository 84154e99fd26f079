import { gzipSync } from 'node:zlib';
import type { ExecutionLogRecord, ExecutionLogType, LogsSubscriptionData } from '../../core/contracts/execution-log-event.ts';
import { LOCAL_ACCOUNT } from './arn.ts';
import type { ExecutionDescription } from './execution.ts';
import type { HistoryEvent } from './execution-history.ts';

/** What a CloudWatch Logs subscription filter hands its Lambda: `awslogs.data` is base64(gzip(JSON)). */
export interface ExecutionLogDelivery {
  readonly awslogs: { readonly data: string };
}

const TYPES: Record<ExecutionDescription['status'], ExecutionLogType | undefined> = {
  RUNNING: 'ExecutionStarted',
  SUCCEEDED: 'ExecutionSucceeded',
  FAILED: 'ExecutionFailed',
  TIMED_OUT: 'ExecutionTimedOut',
  ABORTED: 'ExecutionAborted',
  PENDING_REDRIVE: undefined,
};

const LOCAL_ROLE = `arn:aws:iam::${LOCAL_ACCOUNT}:role/stepflow-local`;

/**
 * The execution-level log event an Express state machine writes for this status (log level ALL), as the
 * subscription on its log group delivers it to the recorder: on AWS, Express executions send no
 * EventBridge status changes (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
 * The record carries the history event's id, previous id and time when the execution's history has it
 * (`history`, the events so far: the last of this type is the one logged), as Step Functions logs them.
 */
export function executionLogDelivery(execution: ExecutionDescription, now: Date, history: readonly HistoryEvent[] = []): ExecutionLogDelivery | undefined {
  const type = TYPES[execution.status];
  if (!type) return undefined;
  const event = history.findLast((e) => e.type === type);
  const timestamp = event?.timestamp.getTime() ?? now.getTime();
  const details: NonNullable<ExecutionLogRecord['details']> & { roleArn?: string } =
    type === 'ExecutionStarted'
      ? { input: execution.input, inputDetails: { truncated: false }, roleArn: LOCAL_ROLE }
      : type === 'ExecutionSucceeded'
        ? { output: execution.output ?? null, outputDetails: { truncated: false } }
        : { error: execution.error ?? null, cause: execution.cause ?? null };
  // Step Functions writes numbers as strings in these records.
  const message = JSON.stringify({
    ...(event ? { id: String(event.id) } : {}),
    type,
    details,
    ...(event ? { previous_event_id: String(event.previousEventId) } : {}),
    event_timestamp: String(timestamp),
    execution_arn: execution.executionArn,
    redrive_count: '0',
  });
  const data: LogsSubscriptionData & Record<string, unknown> = {
    messageType: 'DATA_MESSAGE',
    owner: LOCAL_ACCOUNT,
    logGroup: `/aws/vendedlogs/states/${execution.workflow}`,
    logStream: `states/${execution.workflow}/${execution.startDate.toISOString().slice(0, 10)}`,
    subscriptionFilters: ['stepflow-execution-status'],
    logEvents: [{ id: String(timestamp), timestamp, message }],
  };
  return { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } };
}
