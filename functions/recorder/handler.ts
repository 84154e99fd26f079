import { createAwsClients } from '../shared/clients.ts';
import { loadConfig } from '../shared/config.ts';
import { type WorkflowConfig } from '../../core/contracts/workflow-entry.ts';
import { DynamoDbExecutionStore } from '../executions/dynamodb-execution-store.ts';
import { NonRetriableError } from '../../core/errors.ts';
import type { ExecutionStore, StatusChange } from '../executions/execution-store.ts';
import { jsonLogger, type Logger } from '../shared/logger.ts';
import { executionLogChanges, isLogsSubscriptionEvent } from './execution-log-changes.ts';
import { statusChangeEventSchema, type StatusChangeEvent } from '../../core/contracts/status-change-event.ts';
import { lambdaEntry } from '../shared/lambda-entry.ts';

export interface RecorderDeps {
  readonly store: ExecutionStore;
  /** Deployed workflows, to name the workflow of a state machine. */
  readonly workflows: Readonly<Record<string, WorkflowConfig>>;
  /** @default jsonLogger */
  readonly logger?: Logger;
}

/**
 * Records Step Functions execution status changes: EventBridge status-change events (Standard) and
 * CloudWatch Logs subscription deliveries of execution-level log events (Express, which sends no
 * status-change events). Events may repeat and arrive out of order; the store keeps the latest status
 * (a terminal status is never moved back to RUNNING), so every event is safe to apply in any order.
 */
export function createRecorder(deps: RecorderDeps) {
  const logger = deps.logger ?? jsonLogger;
  const byArn = new Map(Object.entries(deps.workflows).map(([name, workflow]) => [workflow.stateMachineArn, name]));
  const record = async (change: StatusChange): Promise<boolean> => {
    const recorded = await deps.store.recordStatus(change);
    logger('info', recorded ? 'execution status recorded' : 'stale execution status ignored', {
      workflow: change.workflow,
      executionId: change.executionId,
      status: change.status,
    });
    return recorded;
  };
  return async (event: unknown): Promise<{ readonly recorded: boolean }> => {
    if (isLogsSubscriptionEvent(event)) {
      let recorded = false;
      // In log order: a start before the end of the same execution.
      for (const change of executionLogChanges(event, (arn) => workflowOf(arn, byArn))) recorded = (await record(change)) || recorded;
      return { recorded };
    }
    const parsed = statusChangeEventSchema.safeParse(event);
    if (!parsed.success) {
      // Retrying cannot fix a malformed event: fail without retry, to the function's DLQ.
      throw new NonRetriableError(`not a Step Functions execution status change: ${parsed.error.message}`, { cause: parsed.error });
    }
    return { recorded: await record(toStatusChange(parsed.data, byArn)) };
  };
}

/** The workflow a state machine runs: from the configuration, else the state machine's name. */
export function workflowOf(stateMachineArn: string, byArn: ReadonlyMap<string, string>): string {
  // Version and alias ARNs append `:<version|alias>` to the state machine's ARN.
  const unqualified = stateMachineArn.split(':').slice(0, 7).join(':');
  return byArn.get(stateMachineArn) ?? byArn.get(unqualified) ?? stateMachineArn.split(':')[6] ?? stateMachineArn;
}

function toStatusChange(event: StatusChangeEvent, byArn: ReadonlyMap<string, string>): StatusChange {
  const d = event.detail;
  const iso = (millis: number) => new Date(millis).toISOString();
  return {
    workflow: workflowOf(d.stateMachineArn, byArn),
    executionId: d.name,
    executionArn: d.executionArn,
    status: d.status,
    startDate: iso(d.startDate),
    redriveCount: d.redriveCount ?? 0,
    ...(d.stopDate != null ? { stopDate: iso(d.stopDate) } : {}),
    ...(d.input != null && d.inputDetails?.included !== false ? { input: d.input } : {}),
    ...(d.output != null && d.outputDetails?.included !== false ? { output: d.output } : {}),
    ...(d.error != null ? { error: d.error } : {}),
    ...(d.cause != null ? { cause: d.cause } : {}),
  };
}

let recorder: ReturnType<typeof createRecorder> | undefined;

/** The Lambda entry point (EventBridge rule and log subscription target); dependencies are built on first use. */
export const handler = lambdaEntry((event: unknown): Promise<{ readonly recorded: boolean }> => {
  if (!recorder) {
    const { table, workflows, aws } = loadConfig(process.env);
    recorder = createRecorder({ store: new DynamoDbExecutionStore({ client: createAwsClients(aws).dynamo, tableName: table }), workflows });
  }
  return recorder(event);
});
