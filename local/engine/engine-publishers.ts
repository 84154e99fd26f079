import type { Clock } from '../clock.ts';
import type { LocalEngineProps } from './engine-options.ts';
import type { ExecutionDescription } from './execution.ts';
import type { HistoryEvent } from './execution-history.ts';
import { executionLogDelivery, type ExecutionLogDelivery } from './execution-log.ts';
import { statusChangeEvent, type ExecutionStatusChangeEvent } from './status-event.ts';
import { StatusPublisher } from './status-publisher.ts';

interface PublisherDeps {
  readonly clock: Clock;
  readonly region: string;
  readonly props: LocalEngineProps;
  readonly isExpress: (description: ExecutionDescription) => boolean;
  readonly historyOf: (executionArn: string) => readonly HistoryEvent[] | undefined;
  readonly emitStatus: (event: ExecutionStatusChangeEvent) => void;
  readonly emitLog: (event: ExecutionLogDelivery) => void;
  readonly onListenerError: (error: unknown, event: ExecutionStatusChangeEvent | ExecutionLogDelivery) => void;
}

/**
 * What AWS emits per mode: Standard executions publish EventBridge status changes, Express executions
 * write their records to CloudWatch Logs.
 */
export function enginePublishers({ clock, region, props, isExpress, historyOf, emitStatus, emitLog, onListenerError }: PublisherDeps) {
  const status = new StatusPublisher({
    clock,
    build: (description, now) => (isExpress(description) ? undefined : statusChangeEvent(description, region, now)),
    emit: emitStatus,
    listener: props.onStatusChange,
    onListenerError,
  });
  const log = new StatusPublisher<ExecutionLogDelivery>({
    clock,
    build: (description, now) => (isExpress(description) ? executionLogDelivery(description, now, historyOf(description.executionArn)) : undefined),
    emit: emitLog,
    listener: props.onExecutionLog,
    onListenerError,
  });
  return { status, log };
}
