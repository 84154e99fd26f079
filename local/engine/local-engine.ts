import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HandlerRef } from '../../core/definition/model.ts';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { systemClock, type Clock } from '../clock.ts';
import { DEFAULT_REGION, executionArn, expressExecutionArn, LOCAL_ACCOUNT, stateMachineArn } from './arn.ts';
import { EngineClosed, ExecutionAlreadyExists, InvalidExecutionInput, InvalidName, StateMachineDoesNotExist } from './errors.ts';
import type { ExecutionDescription, ListOptions, ProgressEvent, StopOptions } from './execution.ts';
import { ExecutionTable, type ExecutionEntry } from './execution-table.ts';
import { runExecution, type Outcome } from './execution-run.ts';
import { ExecutionJournal } from './journal.ts';
import { executionLogDelivery, type ExecutionLogDelivery } from './execution-log.ts';
import { ExecutionHistory, type HistoryEvent } from './execution-history.ts';
import { HistoryFiles } from './history-files.ts';
import { LambdaTaskError } from './lambda-error.ts';
import { TaskTimedOut } from './task-timed-out.ts';
import { statusChangeEvent, type ExecutionStatusChangeEvent } from './status-event.ts';
import { StatusPublisher, type StatusListener } from './status-publisher.ts';
import { handlerKey, TaskInvoker, type TaskCall } from './task-invoker.ts';
import { createServiceInvoker } from '../../functions/service-invoker/handler.ts';
import type { CoordinatorStore } from '../../functions/coordinator/coordinator-store.ts';
import { createCoordinator } from '../../functions/coordinator/handler.ts';
import { MemoryCoordinatorStore } from '../../functions/coordinator/memory-coordinator-store.ts';
import { TaskTokenTable } from './task-tokens.ts';
import type { Env } from '../../functions/service-invoker/resolve-service.ts';
import type { LogSink } from '../../functions/shared/logger.ts';
import { buildWorkflow, registeredView, type RegisteredWorkflow, type RunnableWorkflow } from './workflow.ts';

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
  /** Module every `service` Task state calls. @default stepflow's service invoker, run in-process */
  readonly serviceInvoker?: HandlerRef;
  /**
   * Environment the default service invoker expands `${VAR}` and finds `STEPFLOW_SERVICE_<NAME>_URL` in,
   * as a deployed invoker reads its own. @default process.env
   */
  readonly serviceEnv?: Env;
  /** Where task handlers' JSON log lines go. @default stdout and stderr, as in Lambda */
  readonly taskLog?: LogSink;
  /**
   * Where the coordinator of gated workflows keeps their gates (the dev stack passes the DynamoDB store
   * on its table). @default in memory
   */
  readonly coordinatorStore?: CoordinatorStore;
  /** Folder keeping executions across restarts. @default in memory only */
  readonly journalDir?: string;
  /** Folder keeping ended executions' histories across restarts. @default in memory only */
  readonly historyDir?: string;
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

/** Cause recorded for executions that were RUNNING when the previous engine process ended. */
export const RESTART_CAUSE = 'offline engine restarted';

const DEFAULT_SERVICE_INVOKER: HandlerRef = {
  // `.ts` beside the sources, `.js` in the built package (dist/).
  file: fileURLToPath(new URL(`../../functions/service-invoker/handler${extname(import.meta.url)}`, import.meta.url)),
  exportName: 'handler',
};

const COORDINATOR: HandlerRef = {
  file: fileURLToPath(new URL(`../../functions/coordinator/handler${extname(import.meta.url)}`, import.meta.url)),
  exportName: 'handler',
};

/** https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html#StepFunctions-StartExecution-request-name */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;
/** https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (256 KiB payloads) */
const MAX_INPUT_BYTES = 256 * 1024;

/**
 * Runs WorkflowPlans offline: the plan's ASL on aws-local-stepfunctions, each Task state calling its
 * handler module in-process with the payload Step Functions would send to the Lambda. One
 * StateMachine per workflow, built once (its validation is the slow part).
 *
 * Executions keep Step Functions' semantics where the offline stack can: names are unique per
 * workflow and StartExecution is idempotent for the same name and input while running; handler errors
 * carry the Lambda error envelope; TimeoutSeconds ends an execution TIMED_OUT, StopExecution ABORTED.
 *
 * An execution cannot outlive its process. With a journal, executions that were RUNNING when the
 * previous process ended are marked FAILED with cause {@link RESTART_CAUSE} by `recover()` and their
 * status change is published, so the store records them; they are not re-run, because their tasks may
 * already have had side effects. Start them again (a new name) to re-run them.
 */
export class LocalEngine extends EventEmitter<LocalEngineEvents> {
  readonly region: string;
  /** Source of the executions' dates and of task and execution timeouts. */
  readonly clock: Clock;
  private readonly registered = new Map<string, RunnableWorkflow>();
  private readonly executions = new ExecutionTable();
  private readonly journal?: ExecutionJournal;
  private readonly historyFiles?: HistoryFiles;
  private readonly publisher: StatusPublisher;
  private readonly logPublisher: StatusPublisher<ExecutionLogDelivery>;
  private readonly invoker: TaskInvoker;
  private readonly tokens = new TaskTokenTable();
  private closed = false;

  constructor(private readonly props: LocalEngineProps = {}) {
    super();
    this.region = props.region ?? process.env.AWS_REGION ?? DEFAULT_REGION;
    this.clock = props.clock ?? systemClock;
    this.journal = props.journalDir ? new ExecutionJournal(props.journalDir) : undefined;
    const isExpress = (description: ExecutionDescription) => this.registered.get(description.workflow)?.mode === 'EXPRESS';
    this.historyFiles = props.historyDir ? new HistoryFiles(props.historyDir) : undefined;
    this.publisher = new StatusPublisher({
      clock: this.clock,
      build: (description, now) => (isExpress(description) ? undefined : statusChangeEvent(description, this.region, now)),
      emit: (event) => this.emit('status', event),
      listener: props.onStatusChange,
      onListenerError: (error, event) => this.emit('listenerError', error, event),
    });
    this.logPublisher = new StatusPublisher<ExecutionLogDelivery>({
      clock: this.clock,
      build: (description, now) => (isExpress(description) ? executionLogDelivery(description, now) : undefined),
      emit: (event) => this.emit('executionLog', event),
      listener: props.onExecutionLog,
      onListenerError: (error, event) => this.emit('listenerError', error, event),
    });
    this.invoker = new TaskInvoker({
      region: this.region,
      clock: this.clock,
      log: props.taskLog,
      handlers: new Map([
        [handlerKey(DEFAULT_SERVICE_INVOKER), createServiceInvoker({ env: props.serviceEnv ?? process.env })],
        // The coordinator of gated workflows, releasing their tasks through this engine's task tokens.
        [handlerKey(COORDINATOR), createCoordinator({
          store: props.coordinatorStore ?? new MemoryCoordinatorStore(),
          tokens: { succeed: async (token, output) => this.releaseToken(token, output) },
          logger: () => {},
        })],
      ]),
      progress: { watched: () => this.listenerCount('progress') > 0, emit: (event) => this.emit('progress', event) },
    });
    for (const plan of props.plans ?? []) this.register(plan);
  }

  /** Adds a workflow; throws when its ASL is invalid or a Task state cannot be run offline. */
  register(plan: WorkflowPlan): RegisteredWorkflow {
    const workflow = buildWorkflow(plan, {
      region: this.region,
      serviceInvoker: this.props.serviceInvoker ?? DEFAULT_SERVICE_INVOKER,
      coordinator: COORDINATOR,
      creationDate: new Date(this.clock.now()),
      retryIntervalMs: this.props.retryIntervalMs,
      retryIntervalOverrides: this.props.retryIntervalOverrides,
    });
    this.registered.set(plan.name, workflow);
    return workflow;
  }

  workflows(): RegisteredWorkflow[] {
    return [...this.registered.values()].map(registeredView);
  }

  stateMachineArn(workflow: string): string {
    return stateMachineArn(workflow, this.region);
  }

  /**
   * Loads the journal and closes executions the previous process left RUNNING (see the class comment).
   * Returns those executions.
   */
  async recover(): Promise<ExecutionDescription[]> {
    if (!this.journal) return [];
    const interrupted: ExecutionDescription[] = [];
    for (const saved of await this.journal.loadAll()) {
      if (this.executions.find(saved.executionArn)) continue;
      let description = saved;
      if (saved.status === 'RUNNING') {
        description = { ...saved, status: 'FAILED', error: 'States.Runtime', cause: RESTART_CAUSE, stopDate: new Date(this.clock.now()) };
        await this.journal.save(description);
        interrupted.push(description);
      }
      this.executions.add({ description });
    }
    await Promise.all(interrupted.map((description) => this.publish(description)));
    return interrupted;
  }

  /**
   * StartExecution. For the same name and input as a RUNNING execution, returns that execution; for
   * another input or a closed execution, throws ExecutionAlreadyExists (Standard workflows' idempotency,
   * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html). Express
   * executions are not idempotent: each start gets its own `...:express:<machine>:<name>:<id>` ARN.
   */
  async start(workflowName: string, input: unknown = {}, options: StartOptions = {}): Promise<ExecutionDescription> {
    if (this.closed) throw new EngineClosed();
    const workflow = this.registered.get(workflowName);
    if (!workflow) throw new StateMachineDoesNotExist(stateMachineArn(workflowName, this.region));
    const name = options.name ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) throw new InvalidName(name);
    const inputText = JSON.stringify(input ?? {});
    if (Buffer.byteLength(inputText) > MAX_INPUT_BYTES) throw new InvalidExecutionInput(`input is larger than ${MAX_INPUT_BYTES} bytes`);
    const arn = workflow.mode === 'EXPRESS' ? expressExecutionArn(workflowName, name, randomUUID(), this.region) : executionArn(workflowName, name, this.region);
    const existing = this.executions.find(arn);
    if (existing) {
      if (existing.description.status === 'RUNNING' && existing.description.input === inputText) return existing.description;
      throw new ExecutionAlreadyExists(arn);
    }

    const description: ExecutionDescription = {
      executionArn: arn,
      stateMachineArn: workflow.stateMachineArn,
      workflow: workflowName,
      name,
      status: 'RUNNING',
      input: inputText,
      startDate: new Date(this.clock.now()),
    };
    const entry: ExecutionEntry = { description, history: new ExecutionHistory(this.clock) };
    entry.history!.executionStarted(description);
    this.executions.add(entry);
    try {
      await this.journal?.save(description);
    } catch (error) {
      // Not journaled, so not started: no RUNNING execution is left behind with nothing running it.
      this.executions.remove(entry);
      throw error;
    }
    void this.publish(description);
    this.launch(workflow, entry, JSON.parse(inputText));
    return description;
  }

  /** DescribeExecution. */
  describe(arn: string): ExecutionDescription {
    return this.executions.get(arn).description;
  }

  /** GetExecutionHistory: the events so far, oldest first (a summary for executions recorded without one). */
  async history(arn: string): Promise<readonly HistoryEvent[]> {
    const entry = this.executions.get(arn);
    if (entry.history) return entry.history.events;
    const saved = await this.historyFiles?.load(arn);
    return (saved ? ExecutionHistory.from(saved, this.clock) : ExecutionHistory.summary(entry.description, this.clock)).events;
  }

  /** ListExecutions, newest first. */
  list(options: ListOptions = {}): ExecutionDescription[] {
    return this.executions.list(options);
  }

  /** StopExecution: a running execution ends ABORTED; a closed one is returned unchanged. */
  async stop(arn: string, options: StopOptions = {}): Promise<ExecutionDescription> {
    const entry = this.executions.get(arn);
    if (entry.description.status !== 'RUNNING' || !entry.abort || !entry.settled) return entry.description;
    entry.stopReason = options;
    entry.abort();
    return entry.settled;
  }

  /**
   * SendTaskSuccess: the `.waitForTaskToken` state holding the token ends with `output` (JSON text) as its
   * result. Throws TaskTimedOut when that state or its execution has ended, InvalidToken for a token
   * this engine never gave out, InvalidOutput when `output` is not JSON.
   */
  sendTaskSuccess(token: string, output: string): void {
    this.tokens.succeed(token, output);
  }

  /** SendTaskFailure: the state holding the token fails with `error` (States.TaskFailed when absent) and `cause`. */
  sendTaskFailure(token: string, error?: string, cause?: string): void {
    this.tokens.fail(token, error, cause);
  }

  /** SendTaskHeartbeat: checks that the state holding the token still waits. */
  sendTaskHeartbeat(token: string): void {
    this.tokens.heartbeat(token);
  }

  /** Resolves once the execution has ended and its final status change has been delivered. */
  async wait(arn: string): Promise<ExecutionDescription> {
    const entry = this.executions.get(arn);
    return entry.settled ?? entry.description;
  }

  /** Resolves when every status change so far has been delivered to the listener. */
  async flush(): Promise<void> {
    await Promise.all([this.publisher.flush(), this.logPublisher.flush()]);
  }

  /**
   * Stops accepting executions and abandons running ones without closing them: they stay RUNNING in
   * the journal and are reported by the next `recover()`.
   */
  async close(): Promise<void> {
    this.closed = true;
    const running = this.executions.running();
    for (const entry of running) {
      entry.shutdown = true;
      entry.abort?.();
    }
    await Promise.all(running.map((e) => e.settled));
    await this.flush();
  }

  /** What AWS sends for this workflow's mode: a status-change event (Standard) or an execution log event (Express). */
  private async publish(description: ExecutionDescription): Promise<void> {
    await Promise.all([this.publisher.publish(description), this.logPublisher.publish(description)]);
  }

  private launch(workflow: RunnableWorkflow, entry: ExecutionEntry, input: unknown): void {
    const run = runExecution(workflow, entry.description, input, {
      clock: this.clock,
      invoke: (call) => this.invokeRecorded(entry, call),
      tokens: this.tokens,
      stopReason: () => entry.stopReason,
    });
    entry.abort = run.abort;
    entry.settled = run.outcome.then((outcome) => this.finish(entry, outcome));
  }

  /** The coordinator's SendTaskSuccess: 'gone' when the state no longer waits, as SfnTaskTokens reports it. */
  private releaseToken(token: string, output: string): 'sent' | 'gone' {
    try {
      this.tokens.succeed(token, output);
      return 'sent';
    } catch (error) {
      if ((error as Error).name === 'TaskTimedOut' || (error as Error).name === 'InvalidToken') return 'gone';
      throw error;
    }
  }

  /** A Task state's invocation, with its events added to the execution's history. */
  private async invokeRecorded(entry: ExecutionEntry, call: TaskCall): Promise<unknown> {
    const attempt = entry.history?.taskStarted({
      stateName: call.task.stateName,
      functionArn: `arn:aws:lambda:${this.region}:${LOCAL_ACCOUNT}:function:${call.task.functionName}`,
      attempt: call.attempt,
      input: call.event,
      timeoutSeconds: call.task.timeoutSeconds,
    });
    try {
      const output = await this.invoker.invoke(call);
      attempt?.succeeded(output);
      return output;
    } catch (error) {
      const failure = error as Error & { cause?: unknown };
      const cause = error instanceof LambdaTaskError ? String(failure.cause) : error instanceof TaskTimedOut ? `task timed out after ${call.task.timeoutSeconds}s` : failure.message;
      attempt?.failed(failure.name, cause, error instanceof TaskTimedOut);
      throw error;
    }
  }

  private async finish(entry: ExecutionEntry, outcome: Outcome): Promise<ExecutionDescription> {
    if (entry.shutdown) return entry.description;
    const description: ExecutionDescription = { ...entry.description, ...outcome, stopDate: new Date(this.clock.now()) };
    entry.description = description;
    entry.history?.executionEnded(description);
    if (entry.history) await this.historyFiles?.save(description.executionArn, entry.history.events);
    await this.journal?.save(description);
    await this.publish(description);
    this.executions.finished(description.executionArn);
    return description;
  }
}
