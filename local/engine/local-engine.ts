import type { ApprovalStore } from '../../functions/approvals/approval-store.ts';
import { MemoryApprovalStore } from '../../functions/approvals/approval-store.ts';
import { EventEmitter } from 'node:events';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { systemClock, type Clock } from '../clock.ts';
import { DEFAULT_REGION, executionArn, stateMachineArn } from './arn.ts';
import { EngineClosed, ExecutionAlreadyExists, ExecutionNotRedrivable, StateMachineDoesNotExist } from './errors.ts';
import type { ExecutionDescription, ListOptions, StopOptions } from './execution.ts';
import { ExecutionTable, type ExecutionEntry } from './execution-table.ts';
import { runExecution, type Outcome } from './execution-run.ts';
import { ExecutionJournal } from './journal.ts';
import { recoverExecutions } from './recovery.ts';
import { outcomeKey } from './recorded-outcome.ts';
import { RedriveReplay, SucceededTasks, type SucceededTask } from './redrive-ledger.ts';
import type { ExecutionLogDelivery } from './execution-log.ts';
import { ExecutionHistory, type HistoryEvent } from './execution-history.ts';
import { HistoryFiles } from './history-files.ts';
import type { StatusPublisher } from './status-publisher.ts';
import { enginePublishers } from './engine-publishers.ts';
import { startRequest } from './start-request.ts';
import { DurableInvoker } from './durable-invoker.ts';
import { TaskInvoker } from './task-invoker.ts';
import { builtinHandlers, COORDINATOR, DEFAULT_SERVICE_INVOKER } from './builtin-handlers.ts';
import { POOL_SENDER } from './pool-sender.ts';
import { REDRIVABLE_STATUSES, redriveRefusalOf } from './redrive-rules.ts';
import { TaskTokenTable } from './task-tokens.ts';
import { buildWorkflow, registeredView, type RegisteredWorkflow, type RunnableWorkflow } from './workflow.ts';
import type { LocalEngineEvents, LocalEngineProps, RecoverOptions, RecoveryReport, StartOptions } from './engine-options.ts';

export type { LocalEngineEvents, LocalEngineProps, RecoverOptions, RecoveryReport, StartOptions };

/**
 * Runs WorkflowPlans offline: the plan's ASL on aws-local-stepfunctions, each Task state calling its
 * handler module in-process with the payload Step Functions would send to the Lambda. One
 * StateMachine per workflow, built once (its validation is the slow part).
 *
 * Executions keep Step Functions' semantics where the offline stack can: names are unique per
 * workflow and StartExecution is idempotent for the same name and input while running; handler errors
 * carry the Lambda error envelope; TimeoutSeconds ends an execution TIMED_OUT, StopExecution ABORTED.
 *
 * With a journal, executions outlive their process: every task outcome is flushed to the journal before
 * the interpreter sees it, and `recover()` replays an execution that was running when the previous
 * process ended, answering each task attempt that has a recorded outcome from the journal (as Temporal
 * replays a history), so it finishes as it would have without running a completed task again. A task
 * that was running when the process died has no outcome and runs again (at least once, as on AWS).
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
  private readonly durable: DurableInvoker;
  /** Runs not yet settled, those already finishing included: `close()` waits for their last status change. */
  private readonly active = new Set<Promise<ExecutionDescription>>();
  private readonly tokens = new TaskTokenTable();
  /** Pending and decided approvals of approval tasks. */
  readonly approvalStore: ApprovalStore;
  private closed = false;

  constructor(private readonly props: LocalEngineProps = {}) {
    super();
    this.region = props.region ?? process.env.AWS_REGION ?? DEFAULT_REGION;
    this.clock = props.clock ?? systemClock;
    this.approvalStore = props.approvalStore ?? new MemoryApprovalStore();
    this.journal = props.journalDir ? new ExecutionJournal(props.journalDir, this.clock) : undefined;
    const isExpress = (description: ExecutionDescription) => this.registered.get(description.workflow)?.mode === 'EXPRESS';
    this.historyFiles = props.historyDir ? new HistoryFiles(props.historyDir) : undefined;
    ({ status: this.publisher, log: this.logPublisher } = enginePublishers({
      clock: this.clock,
      region: this.region,
      props,
      isExpress,
      historyOf: (arn) => this.executions.find(arn)?.history?.events,
      emitStatus: (event) => this.emit('status', event),
      emitLog: (event) => this.emit('executionLog', event),
      onListenerError: (error, event) => this.emit('listenerError', error, event),
    }));
    const invoker = new TaskInvoker({
      region: this.region,
      clock: this.clock,
      log: props.taskLog,
      handlers: builtinHandlers({ props, clock: this.clock, approvalStore: this.approvalStore, releaseToken: (token, output) => this.releaseToken(token, output) }),
      progress: { watched: () => this.listenerCount('progress') > 0, emit: (event) => this.emit('progress', event) },
    });
    this.durable = new DurableInvoker({ invoker, region: this.region, journal: this.journal, closing: () => this.closed });
    for (const plan of props.plans ?? []) this.register(plan);
  }

  /** Adds a workflow; throws when its ASL is invalid or a Task state cannot be run offline. */
  register(plan: WorkflowPlan): RegisteredWorkflow {
    const workflow = buildWorkflow(plan, {
      region: this.region,
      serviceInvoker: this.props.serviceInvoker ?? DEFAULT_SERVICE_INVOKER,
      coordinator: COORDINATOR,
      poolSender: POOL_SENDER,
      creationDate: new Date(this.clock.now()),
      retryIntervalMs: this.props.retryIntervalMs,
      retryIntervalOverrides: this.props.retryIntervalOverrides,
      handlerVersion: this.props.handlerVersion,
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
   * Loads the journal. Executions the previous process left running resume (those whose workflow is no
   * longer registered end FAILED, stopped when that process last wrote to the journal); ended ones whose
   * final status may not have been delivered are delivered again. See RecoverOptions.repair.
   */
  async recover(options: RecoverOptions = {}): Promise<RecoveryReport> {
    if (!this.journal) return { resumed: [], ended: [], redelivered: [] };
    return recoverExecutions({
      journal: this.journal,
      executions: this.executions,
      workflow: (name) => this.registered.get(name),
      deliverFinal: (description, redrivable) => this.deliverFinal(description, redrivable),
      launch: (workflow, entry) => this.launch(workflow, entry, JSON.parse(entry.description.input)),
    }, options);
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
    const { name, inputText, arn } = startRequest({ name: workflowName, mode: workflow.mode }, input, options.name, this.region);
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
    const entry: ExecutionEntry = {
      description,
      history: new ExecutionHistory(this.clock),
      // Express executions cannot be redriven: nothing to keep for them.
      succeeded: workflow.mode === 'STANDARD' ? new SucceededTasks() : undefined,
    };
    entry.history!.executionStarted(description);
    this.executions.add(entry);
    try {
      await this.journal?.begin(description);
    } catch (error) {
      // Not journaled, so not started: no RUNNING execution is left behind with nothing running it.
      this.executions.remove(entry);
      throw error;
    }
    void this.publish(description);
    this.launch(workflow, entry, JSON.parse(inputText));
    return description;
  }

  /**
   * RedriveExecution: runs a FAILED, TIMED_OUT or ABORTED Standard execution again, under the same ARN and
   * with the same input, from the states that did not succeed: every Task invocation that succeeded is
   * answered with its recorded result instead of running again, and retry counts start from 0. The
   * execution is RUNNING again with its redrive count incremented, an ExecutionRedriven history event
   * and a status change; throws ExecutionNotRedrivable when the conditions are not met
   * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
   */
  async redrive(arn: string): Promise<ExecutionDescription> {
    if (this.closed) throw new EngineClosed();
    const entry = this.executions.get(arn);
    if (entry.description.status === 'RUNNING') throw new ExecutionNotRedrivable(arn, 'it is still RUNNING');
    // The previous run's final status is delivered and its journal settled before the log begins again.
    await entry.settled;
    const previous = entry.description;
    const reason = this.notRedrivable(entry);
    if (reason) throw new ExecutionNotRedrivable(arn, reason);
    const workflow = this.registered.get(previous.workflow)!;
    const now = this.clock.now();
    const redriveCount = (previous.redriveCount ?? 0) + 1;
    const succeeded = entry.redrivable!;

    const { output: _output, error: _error, cause: _cause, stopDate: _stopDate, ...kept } = previous;
    const description: ExecutionDescription = { ...kept, status: 'RUNNING', redriveCount, redriveDate: new Date(now) };
    // RUNNING before the first await: a second redrive at the same time is refused.
    entry.description = description;
    try {
      await this.journal?.begin(description, succeeded);
    } catch (error) {
      entry.description = previous;
      throw error;
    }
    entry.history ??= await this.loadHistory(entry);
    entry.history.executionRedriven(redriveCount, description.redriveDate!);
    Object.assign(entry, { stopReason: undefined, outcomes: undefined, redrivable: undefined, succeeded: new SucceededTasks(), replay: new RedriveReplay(succeeded) });
    void this.publish(description);
    this.launch(workflow, entry, JSON.parse(description.input));
    return description;
  }

  /** Why RedriveExecution would refuse the execution now (DescribeExecution's redriveStatusReason), or undefined when it would not. */
  redriveRefusal(arn: string): string | undefined {
    return this.notRedrivable(this.executions.get(arn));
  }

  private notRedrivable(entry: ExecutionEntry): string | undefined {
    return redriveRefusalOf(entry, this.registered.get(entry.description.workflow)?.mode, this.clock.now());
  }

  /** The ARN an execution of a workflow has (or would have) in this engine. */
  executionArn(workflow: string, name: string): string {
    return executionArn(workflow, name, this.region);
  }

  /** The execution, or undefined when the engine does not know it. */
  find(arn: string): ExecutionDescription | undefined {
    return this.executions.find(arn)?.description;
  }

  /** DescribeExecution. */
  describe(arn: string): ExecutionDescription {
    return this.executions.get(arn).description;
  }

  /** GetExecutionHistory: the events so far, oldest first (a summary for executions recorded without one). */
  async history(arn: string): Promise<readonly HistoryEvent[]> {
    const entry = this.executions.get(arn);
    return (entry.history ?? (await this.loadHistory(entry))).events;
  }

  /** The history kept on disk, or a summary for an execution recorded without one. */
  private async loadHistory(entry: ExecutionEntry): Promise<ExecutionHistory> {
    const saved = await this.historyFiles?.load(entry.description.executionArn);
    return saved ? ExecutionHistory.from(saved, this.clock) : ExecutionHistory.summary(entry.description, this.clock);
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
   * Stops accepting executions, lets tasks already running end (up to `closeGraceMs`, their outcomes
   * journaled), starts no further task, and leaves running executions RUNNING in the journal: the next
   * `recover()` resumes them. Resolves once every status change so far is delivered.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Without a journal, an outcome would be lost all the same: nothing to wait for.
    await this.durable.settle(this.journal ? (this.props.closeGraceMs ?? 2000) : 0);
    const running = this.executions.running();
    for (const entry of running) {
      entry.shutdown = true;
      entry.abort?.();
    }
    // Executions already finishing (no longer RUNNING) publish their final status before the store closes.
    await Promise.all([...this.active]);
    await this.flush();
    await this.journal?.close();
  }

  /** What AWS sends for this workflow's mode: a status-change event (Standard) or an execution log event (Express). */
  private async publish(description: ExecutionDescription): Promise<boolean> {
    const delivered = await Promise.all([this.publisher.publish(description), this.logPublisher.publish(description)]);
    return delivered.every(Boolean);
  }

  private launch(workflow: RunnableWorkflow, entry: ExecutionEntry, input: unknown): void {
    const run = runExecution(workflow, entry.description, input, {
      clock: this.clock,
      invoke: (call) => this.durable.invoke(entry, call),
      tokens: this.tokens,
      stopReason: () => entry.stopReason,
      isRecorded: (state, attempt) => entry.outcomes?.has(outcomeKey(state, attempt)) ?? false,
    });
    entry.abort = run.abort;
    const settled = run.outcome.then((outcome) => this.finish(entry, outcome));
    entry.settled = settled;
    this.active.add(settled);
    const forget = () => void this.active.delete(settled);
    settled.then(forget, forget);
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

  private async finish(entry: ExecutionEntry, outcome: Outcome): Promise<ExecutionDescription> {
    if (entry.shutdown) return entry.description;
    const description: ExecutionDescription = { ...entry.description, ...outcome, stopDate: new Date(this.clock.now()) };
    entry.description = description;
    entry.history?.executionEnded(description);
    if (entry.history) await this.historyFiles?.save(description.executionArn, entry.history.events);
    entry.outcomes = undefined;
    entry.replay = undefined;
    // What a redrive will not run again; only Standard executions that did not succeed can be redriven.
    entry.redrivable = REDRIVABLE_STATUSES.includes(description.status) ? entry.succeeded?.toJSON() : undefined;
    entry.succeeded = undefined;
    await this.journal?.end(description, entry.redrivable);
    await this.deliverFinal(description, entry.redrivable);
    this.executions.finished(description.executionArn);
    return description;
  }

  /** Publishes the final status; once the listener has taken it, the journal keeps only the description. */
  private async deliverFinal(description: ExecutionDescription, redrivable?: readonly SucceededTask[]): Promise<void> {
    if (await this.publish(description)) await this.journal?.settle(description, redrivable);
  }
}
