import type { ApprovalStore } from '../../functions/approvals/approval-store.ts';
import type { CallbackChannels } from './callback-sender.ts';
import type { HandlerRef } from '../../core/definition/model.ts';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import type { CoordinatorStore } from '../../functions/coordinator/coordinator-store.ts';
import type { Env } from '../../functions/service-invoker/resolve-service.ts';
import type { LogSink } from '../../functions/shared/logger.ts';
import type { ServiceOrchestrationRuntime } from '../../functions/orchestration/orchestrator.ts';
import type { Clock } from '../clock.ts';
import type { ExecutionDescription, ProgressEvent } from './execution.ts';
import type { ExecutionLogDelivery } from './execution-log.ts';
import type { ExecutionStatusChangeEvent } from './status-event.ts';
import type { StatusListener } from './status-publisher.ts';

export interface LocalEngineProps {
  /** Workflows to run; more can be added with `register`. @default [] */
  readonly plans?: readonly WorkflowPlan[];
  /** @default process.env.AWS_REGION ?? 'us-east-1' */
  readonly region?: string;
  /** Source of dates, durations and timeouts (tests pass a fake one). @default systemClock */
  readonly clock?: Clock;
  /** Wait before every retry, in ms, instead of the Retrier's backoff (tests pass 0). @default the real backoff */
  readonly retryIntervalMs?: number;
  /** Per-state retry waits in ms, as aws-local-stepfunctions' `retryIntervalOverrides`. @default none */
  readonly retryIntervalOverrides?: Readonly<Record<string, number | readonly number[]>>;
  /**
   * The current edit of a handler module (the dev stack's hot reload counts them); a workflow registered
   * afterwards calls that edit, and its running executions keep the one they started with. @default none
   */
  readonly handlerVersion?: (file: string) => number | undefined;
  /** Module every `service` Task state calls. @default stepflow's service invoker, run in-process */
  readonly serviceInvoker?: HandlerRef;
  /**
   * Environment the default service invoker expands `${VAR}` and finds `STEPFLOW_SERVICE_<NAME>_URL` in,
   * as a deployed invoker reads its own. @default process.env
   */
  readonly serviceEnv?: Env;
  /** Registry, health and breakers of orchestrated services (the dev stack keeps them in its table). @default in memory */
  readonly serviceOrchestration?: ServiceOrchestrationRuntime;
  /**
   * Sends a pooled task's message (`sqs:sendMessage.waitForTaskToken`) to its lane's queue, named by the
   * ASL placeholder (`PoolQueue_<pool>_<lane>`): the offline pools' queues. @default pooled tasks fail
   */
  readonly poolSender?: (placeholder: string, messageBody: unknown) => Promise<void>;
  /**
   * Where callbacks via event or sqs go: PutEvents to the offline EventBridge, SendMessage to the offline
   * SQS (fauxqs). @default such callbacks fail with CallbackChannelUnavailable
   */
  readonly callbackChannels?: CallbackChannels;
  /** The bus callbacks via event without `bus` go to (the dev stack's project bus). @default 'stepflow' */
  readonly projectEventBus?: string;
  /** Where task handlers' JSON log lines go. @default stdout and stderr, as in Lambda */
  readonly taskLog?: LogSink;
  /**
   * Where the coordinator of gated workflows keeps their gates (the dev stack passes the DynamoDB store
   * on its table). @default in memory
   */
  readonly coordinatorStore?: CoordinatorStore;
  /** Where approval tasks record their pending approvals (the dev stack passes the DynamoDB store on its table). @default in memory */
  readonly approvalStore?: ApprovalStore;
  /** Folder keeping executions, and their task outcomes, across restarts (see `recover`). @default in memory only */
  readonly journalDir?: string;
  /** Where S3 objects a Distributed Map's ItemReader reads are, as `<s3Dir>/<bucket>/<key>`. @default '.stepflow/s3' */
  readonly s3Dir?: string;
  /** Folder keeping ended executions' histories across restarts. @default in memory only */
  readonly historyDir?: string;
  /**
   * How long `close()` lets tasks already running end (their outcomes journaled, so they do not run again
   * when the execution resumes) before abandoning them. @default 2000 with a journal, else 0
   */
  readonly closeGraceMs?: number;
  /**
   * Receives the "Step Functions Execution Status Change" events of Standard executions, one at a time, in
   * order. Express executions have none, as on AWS (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html).
   * @default none
   */
  readonly onStatusChange?: StatusListener;
  /**
   * Receives the execution-level log events of Express executions as a CloudWatch Logs subscription on
   * their log group delivers them (what the deployed recorder is fed for Express workflows).
   * @default none
   */
  readonly onExecutionLog?: StatusListener<ExecutionLogDelivery>;
}

export interface StartOptions {
  /** Execution name, unique per workflow. @default a random UUID */
  readonly name?: string;
}

export interface LocalEngineEvents {
  progress: [ProgressEvent];
  status: [ExecutionStatusChangeEvent];
  executionLog: [ExecutionLogDelivery];
  listenerError: [unknown, ExecutionStatusChangeEvent | ExecutionLogDelivery];
}

/** What `recover()` did with the executions the previous process left unsettled. */
export interface RecoveryReport {
  /** Running again from their journal. */
  readonly resumed: readonly ExecutionDescription[];
  /** Could not be resumed (their workflow is no longer defined): ended FAILED, stopped when the stack stopped. */
  readonly ended: readonly ExecutionDescription[];
  /** Had ended, their final status perhaps not delivered: delivered again. */
  readonly redelivered: readonly ExecutionDescription[];
}

export interface RecoverOptions {
  /**
   * Called with every unsettled execution as the journal has it (ended ones with their final status)
   * before anything is resumed or delivered: the dev stack rewrites their records in the store.
   */
  readonly repair?: (executions: readonly ExecutionDescription[]) => Promise<void>;
}
