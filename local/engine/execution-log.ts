import { gzipSync } from 'node:zlib';
import type { ExecutionLogRecord, ExecutionLogType, LogsSubscriptionData } from '../../core/contracts/execution-log-event.ts';
import { LOCAL_ACCOUNT } from './arn.ts';
import type { ExecutionDescription } from './execution.ts';

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

/**
 * The execution-level log event an Express state machine writes for this status (log level ALL), as the
 * subscription on its log group delivers it to the recorder: on AWS, Express executions send no
 * EventBridge status changes (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
 */
export function executionLogDelivery(execution: ExecutionDescription, now: Date): ExecutionLogDelivery | undefined {
  const type = TYPES[execution.status];
  if (!type) return undefined;
  const record: ExecutionLogRecord = {
    type,
    execution_arn: execution.executionArn,
    event_timestamp: now.getTime(),
    redrive_count: 0,
    details:
      type === 'ExecutionStarted'
        ? { input: execution.input, inputDetails: { truncated: false } }
        : type === 'ExecutionSucceeded'
          ? { output: execution.output ?? null, outputDetails: { truncated: false } }
          : { error: execution.error ?? null, cause: execution.cause ?? null },
  };
  // Step Functions writes numbers as strings in these records.
  const message = JSON.stringify({ ...record, event_timestamp: String(record.event_timestamp), redrive_count: '0' });
  const data: LogsSubscriptionData & Record<string, unknown> = {
    messageType: 'DATA_MESSAGE',
    owner: LOCAL_ACCOUNT,
    logGroup: `/aws/vendedlogs/states/${execution.workflow}`,
    logStream: `states/${execution.workflow}/${execution.startDate.toISOString().slice(0, 10)}`,
    subscriptionFilters: ['stepflow-execution-status'],
    logEvents: [{ id: String(now.getTime()), timestamp: now.getTime(), message }],
  };
  return { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } };
}
