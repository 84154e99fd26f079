import { z } from 'zod';
import type { ExecutionStatus } from './execution-status.ts';

/**
 * Execution-level history events a state machine logs to CloudWatch Logs (level ALL or ERROR), as
 * Step Functions writes them (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html). Express
 * executions send no EventBridge status changes, so the recorder learns of them from these, through a
 * subscription filter on the state machine's log group.
 */
export const EXECUTION_LOG_STATUSES = {
  ExecutionStarted: 'RUNNING',
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionTimedOut: 'TIMED_OUT',
  ExecutionAborted: 'ABORTED',
} as const satisfies Record<string, ExecutionStatus>;

export type ExecutionLogType = keyof typeof EXECUTION_LOG_STATUSES;

/** CloudWatch Logs filter pattern selecting exactly the events above. */
export const EXECUTION_LOG_FILTER_PATTERN = `{ ${Object.keys(EXECUTION_LOG_STATUSES)
  .map((type) => `$.type = "${type}"`)
  .join(' || ')} }`;

/** One log record (the `message` of a log event), numbers as strings as Step Functions writes them. */
export const executionLogRecordSchema = z.object({
  type: z.enum(Object.keys(EXECUTION_LOG_STATUSES) as [ExecutionLogType, ...ExecutionLogType[]]),
  /** `arn:<partition>:states:<region>:<account>:express:<machine>:<name>:<id>` for Express executions. */
  execution_arn: z.string().min(1),
  /** Epoch milliseconds. */
  event_timestamp: z.coerce.number().int().nonnegative(),
  redrive_count: z.coerce.number().int().nonnegative().optional(),
  details: z
    .object({
      input: z.string().nullish(),
      inputDetails: z.object({ truncated: z.boolean() }).partial().nullish(),
      output: z.string().nullish(),
      outputDetails: z.object({ truncated: z.boolean() }).partial().nullish(),
      error: z.string().nullish(),
      cause: z.string().nullish(),
    })
    .partial()
    .nullish(),
});

export type ExecutionLogRecord = z.infer<typeof executionLogRecordSchema>;

/**
 * What a CloudWatch Logs subscription hands a Lambda once `awslogs.data` is unzipped
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#LambdaFunctionExample).
 */
export const logsSubscriptionDataSchema = z.object({
  messageType: z.enum(['DATA_MESSAGE', 'CONTROL_MESSAGE']),
  logGroup: z.string().optional(),
  logEvents: z.array(z.object({ id: z.string().optional(), timestamp: z.number().optional(), message: z.string() })),
});

export type LogsSubscriptionData = z.infer<typeof logsSubscriptionDataSchema>;

/**
 * `{ stateMachineArn, name }` of an execution ARN of either kind: `...:execution:<machine>:<name>` (Standard)
 * or `...:express:<machine>:<name>:<id>` (Express); undefined for anything else.
 */
export function parseExecutionArnParts(arn: string): { readonly stateMachineArn: string; readonly name: string; readonly express: boolean } | undefined {
  const match = /^(arn:[^:]+:states:[^:]*:[^:]*):(execution|express):([^:]+):([^:]+)(?::[^:]+)?$/.exec(arn);
  if (!match) return undefined;
  return { stateMachineArn: `${match[1]}:stateMachine:${match[3]}`, name: match[4], express: match[2] === 'express' };
}
