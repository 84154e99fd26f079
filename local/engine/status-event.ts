import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { LOCAL_ACCOUNT } from './arn.ts';
import { STATUS_CHANGE_DETAIL_TYPE, type StatusChangeDetail } from '../../core/contracts/status-change-event.ts';
import type { ExecutionDescription } from './execution.ts';

/** The event as EventBridge delivers it: the envelope around Step Functions' status-change detail. */
export type ExecutionStatusChangeEvent = EventBridgeEvent<typeof STATUS_CHANGE_DETAIL_TYPE, StatusChangeDetail>;

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
      redriveCount: execution.redriveCount ?? 0,
    },
  };
}
