import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { LOCAL_ACCOUNT } from './arn.ts';
import type { ExecutionDescription, ExecutionStatus } from './execution.ts';

export const STATUS_CHANGE_DETAIL_TYPE = 'Step Functions Execution Status Change';

/** https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html: dates are epoch milliseconds, absent values null. */
export interface ExecutionStatusChangeDetail {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: number;
  readonly stopDate: number | null;
  readonly input: string;
  readonly inputDetails: { readonly included: boolean };
  readonly output: string | null;
  readonly outputDetails: { readonly included: boolean } | null;
  readonly error: string | null;
  readonly cause: string | null;
}

export type ExecutionStatusChangeEvent = EventBridgeEvent<typeof STATUS_CHANGE_DETAIL_TYPE, ExecutionStatusChangeDetail>;

export function statusChangeEvent(execution: ExecutionDescription, region: string, now: Date): ExecutionStatusChangeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': STATUS_CHANGE_DETAIL_TYPE,
    source: 'aws.states',
    account: LOCAL_ACCOUNT,
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [execution.executionArn],
    detail: {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate.getTime(),
      stopDate: execution.stopDate ? execution.stopDate.getTime() : null,
      input: execution.input,
      inputDetails: { included: true },
      output: execution.output ?? null,
      outputDetails: execution.output !== undefined ? { included: true } : null,
      error: execution.error ?? null,
      cause: execution.cause ?? null,
    },
  };
}
