import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine, type RunOptions } from 'aws-local-stepfunctions';
import type { HandlerRef } from '../../core/definition/model.ts';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { DEFAULT_REGION, executionArn, parseExecutionArn, stateMachineArn } from './arn.ts';
import { applyContextBindings } from './context-bindings.ts';
import { EngineClosed, ExecutionAlreadyExists, ExecutionDoesNotExist, InvalidArn, InvalidExecutionInput, InvalidName, StateMachineDoesNotExist } from './errors.ts';
import type { ExecutionDescription, ProgressEvent } from './execution.ts';
import type { ExecutionStatus } from '../../core/contracts/execution-status.ts';
import { HandlerLoader } from './handler-loader.ts';
import { ExecutionJournal } from './journal.ts';
import { createLambdaContext } from './lambda-context.ts';
import { LambdaTaskError } from './lambda-error.ts';
import { prepareWorkflow, type LocalTaskState } from './prepare-asl.ts';
import { statusChangeEvent, type ExecutionStatusChangeEvent } from './status-event.ts';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export type StatusListener = (event: ExecutionStatusChangeEvent) => void | Promise<void>;

export interface LocalEngineProps {
  /** Workflows to run; more can be added with `register`. @default [] */
  readonly plans?: readonly WorkflowPlan[];
  /** @default process.env.AWS_REGION ?? 'us-east-1' */
  readonly region?: string;
  /** Source of start/stop dates and task durations. @default systemClock */
  readonly clock?: Clock;
  /** Wait before every retry, in ms, instead of the Retrier's backoff (tests pass 0). @default the real backoff */
  readonly retryIntervalMs?: number;
  /** Per-state retry waits in ms, as aws-local-stepfunctions' `retryIntervalOverrides`. @default none */
  readonly retryIntervalOverrides?: Readonly<Record<string, number | readonly number[]>>;
  /** Module every `service` Task state calls. @default functions/service-invoker/handler.ts#handler */
  readonly serviceInvoker?: HandlerRef;
  /** Folder keeping executions across restarts. @default in memory only */
  readonly journalDir?: string;
  /** Receives the "Step Functions Execution Status Change" events, one at a time, in order. @default none */
  readonly onStatusChange?: StatusListener;
}

export interface StartOptions {
  /** Execution name, unique per workflow. @default a random UUID */
  readonly name?: string;
}

export interface StopOptions {
  readonly error?: string;
  readonly cause?: string;
}

export interface ListOptions {
  readonly workflow?: string;
  readonly status?: ExecutionStatus;
}

export interface RegisteredWorkflow {
  readonly name: string;
  readonly stateMachineArn: string;
  readonly mode: 'STANDARD' | 'EXPRESS';
  readonly creationDate: Date;
  readonly plan: WorkflowPlan;
}

export interface LocalEngineEvents {
  progress: [ProgressEvent];
  status: [ExecutionStatusChangeEvent];
  listenerError: [unknown, ExecutionStatusChangeEvent];
}

/** Finished executions kept in memory for DescribeExecution and ListExecutions. */
const MAX_FINISHED_IN_MEMORY = 10_000;

/** Task invocations between two turns given back to the event loop. */
const YIELD_EVERY_TASKS = 2;

/** Cause recorded for executions that were RUNNING when the previous engine process ended. */
export const RESTART_CAUSE = 'offline engine restarted';

const DEFAULT_SERVICE_INVOKER: HandlerRef = {
  // `.ts` beside the sources, `.js` in the built package (dist/).
  file: fileURLToPath(new URL(`../../functions/service-invoker/handler${extname(import.meta.url)}`, import.meta.url)),
  exportName: 'handler',
};

/** https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html#StepFunctions-StartExecution-request-name */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;
/** https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (256 KiB payloads) */
const MAX_INPUT_BYTES = 256 * 1024;

interface Workflow extends RegisteredWorkflow {
  readonly machine: StateMachine;
  readonly tasks: ReadonlyMap<string, LocalTaskState>;
  readonly retryIntervalOverrides: Record<string, number | number[]>;
}

interface Entry {
  description: ExecutionDescription;
  abort?: () => void;
  settled?: Promise<ExecutionDescription>;
  stopReason?: StopOptions;
  /** Aborted by `close()`: stays RUNNING in the journal and is reported on the next start. */
  shutdown?: boolean;
}

type Outcome = Pick<ExecutionDescription, 'status' | 'output' | 'error' | 'cause'>;

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
  private readonly clock: Clock;
  private readonly loader = new HandlerLoader();
  private readonly registered = new Map<string, Workflow>();
  private readonly executions = new Map<string, Entry>();
  private readonly journal?: ExecutionJournal;
  /** Status changes on their way to the listener: in order per execution, concurrently across executions. */
  private readonly deliveries = new Map<string, Promise<void>>();
  private closed = false;
  private invocationsSinceYield = 0;
  /** ARNs of finished executions, oldest first. */
  private readonly finished: string[] = [];

  constructor(private readonly props: LocalEngineProps = {}) {
    super();
    this.region = props.region ?? process.env.AWS_REGION ?? DEFAULT_REGION;
    this.clock = props.clock ?? systemClock;
    this.journal = props.journalDir ? new ExecutionJournal(props.journalDir) : undefined;
    for (const plan of props.plans ?? []) this.register(plan);
  }

  /** Adds a workflow; throws when its ASL is invalid or a Task state cannot be run offline. */
  register(plan: WorkflowPlan): RegisteredWorkflow {
    const prepared = prepareWorkflow(plan, { region: this.region, serviceInvoker: this.props.serviceInvoker ?? DEFAULT_SERVICE_INVOKER });
    const machine = new StateMachine(prepared.definition, { validationOptions: { checkArn: true, checkPaths: true } });
    const workflow: Workflow = {
      name: plan.name,
      stateMachineArn: stateMachineArn(plan.name, this.region),
      mode: plan.mode,
      creationDate: new Date(this.clock.now()),
      plan,
      machine,
      tasks: prepared.tasks,
      retryIntervalOverrides: this.retryOverridesFor(prepared.definition.States),
    };
    this.registered.set(plan.name, workflow);
    return workflow;
  }

  workflows(): RegisteredWorkflow[] {
    return [...this.registered.values()].map(({ name, stateMachineArn: arn, mode, creationDate, plan }) => ({ name, stateMachineArn: arn, mode, creationDate, plan }));
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
      if (this.executions.has(saved.executionArn)) continue;
      let description = saved;
      if (saved.status === 'RUNNING') {
        description = { ...saved, status: 'FAILED', error: 'States.Runtime', cause: RESTART_CAUSE, stopDate: new Date(this.clock.now()) };
        await this.journal.save(description);
        interrupted.push(description);
      }
      this.executions.set(description.executionArn, { description });
    }
    await Promise.all(interrupted.map((description) => this.publish(description)));
    return interrupted;
  }

  /**
   * StartExecution. For the same name and input as a RUNNING execution, returns that execution; for
   * another input or a closed execution, throws ExecutionAlreadyExists (Standard workflows' idempotency,
   * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
   */
  async start(workflowName: string, input: unknown = {}, options: StartOptions = {}): Promise<ExecutionDescription> {
    if (this.closed) throw new EngineClosed();
    const workflow = this.registered.get(workflowName);
    if (!workflow) throw new StateMachineDoesNotExist(stateMachineArn(workflowName, this.region));
    const name = options.name ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) throw new InvalidName(name);
    const inputText = JSON.stringify(input ?? {});
    if (Buffer.byteLength(inputText) > MAX_INPUT_BYTES) throw new InvalidExecutionInput(`input is larger than ${MAX_INPUT_BYTES} bytes`);
    const arn = executionArn(workflowName, name, this.region);
    const existing = this.executions.get(arn);
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
    const entry: Entry = { description };
    this.executions.set(arn, entry);
    try {
      await this.journal?.save(description);
    } catch (error) {
      // Not journaled, so not started: no RUNNING execution is left behind with nothing running it.
      if (this.executions.get(arn) === entry) this.executions.delete(arn);
      throw error;
    }
    void this.publish(description);
    this.launch(workflow, entry, JSON.parse(inputText));
    return description;
  }

  /** DescribeExecution. */
  describe(arn: string): ExecutionDescription {
    return this.entry(arn).description;
  }

  /** ListExecutions, newest first. */
  list(options: ListOptions = {}): ExecutionDescription[] {
    return [...this.executions.values()]
      .map((entry) => entry.description)
      .filter((d) => (options.workflow === undefined || d.workflow === options.workflow) && (options.status === undefined || d.status === options.status))
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  /** StopExecution: a running execution ends ABORTED; a closed one is returned unchanged. */
  async stop(arn: string, options: StopOptions = {}): Promise<ExecutionDescription> {
    const entry = this.entry(arn);
    if (entry.description.status !== 'RUNNING' || !entry.abort || !entry.settled) return entry.description;
    entry.stopReason = options;
    entry.abort();
    return entry.settled;
  }

  /** Resolves once the execution has ended and its final status change has been delivered. */
  async wait(arn: string): Promise<ExecutionDescription> {
    const entry = this.entry(arn);
    return entry.settled ?? entry.description;
  }

  /** Resolves when every status change so far has been delivered to the listener. */
  async flush(): Promise<void> {
    await Promise.all(this.deliveries.values());
  }

  /**
   * Stops accepting executions and abandons running ones without closing them: they stay RUNNING in
   * the journal and are reported by the next `recover()`.
   */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.executions.values()].filter((e) => e.description.status === 'RUNNING' && e.abort);
    for (const entry of running) {
      entry.shutdown = true;
      entry.abort?.();
    }
    await Promise.all(running.map((e) => e.settled));
    await Promise.all(this.deliveries.values());
  }

  private entry(arn: string): Entry {
    if (!parseExecutionArn(arn)) throw new InvalidArn(arn);
    const entry = this.executions.get(arn);
    if (!entry) throw new ExecutionDoesNotExist(arn);
    return entry;
  }

  private launch(workflow: Workflow, entry: Entry, input: unknown): void {
    const { executionArn: arn, name, startDate } = entry.description;
    const execution = {
      Id: arn,
      Name: name,
      RoleArn: `arn:aws:iam::000000000000:role/stepflow-local`,
      StartTime: startDate.toISOString(),
      RedriveCount: 0,
    };
    const stateMachine = { Id: workflow.stateMachineArn, Name: workflow.name };
    // The library copies this context as is: `$$.State` must exist for paths like $$.State.RetryCount to
    // resolve; the true values are put in by applyContextBindings.
    const context = { Execution: execution, StateMachine: stateMachine, State: { Name: '', EnteredTime: execution.StartTime, RetryCount: 0 } };
    const attempts = new Map<string, number>();
    const handlers = Object.fromEntries(
      [...workflow.tasks.values()].map((task) => [
        task.stateName,
        (stateInput: unknown) => {
          const attempt = attempts.get(task.stateName) ?? 0;
          attempts.set(task.stateName, attempt + 1);
          const trueContext = {
            Execution: { ...execution, Input: input },
            StateMachine: stateMachine,
            State: { Name: task.stateName, EnteredTime: new Date(this.clock.now()).toISOString(), RetryCount: attempt },
          };
          return this.invoke(task, workflow, entry.description, attempt, applyContextBindings(stateInput, task.bindings, trueContext));
        },
      ]),
    );
    const options: RunOptions = {
      overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides: workflow.retryIntervalOverrides },
      context,
    };
    const run = workflow.machine.run(input as never, options);
    entry.abort = run.abort;
    entry.settled = run.result
      .then((output): Outcome => ({ status: 'SUCCEEDED', output: JSON.stringify(output) }), (error: unknown) => this.outcomeOf(error, entry, workflow))
      .then((outcome) => this.finish(entry, outcome));
  }

  /** Calls one Task state's handler as Lambda would, reporting progress. */
  private async invoke(task: LocalTaskState, workflow: Workflow, execution: ExecutionDescription, attempt: number, event: unknown): Promise<unknown> {
    const progress = { executionArn: execution.executionArn, workflow: workflow.name, state: task.stateName, task: task.plan.task, attempt };
    const started = this.clock.now();
    // Progress is built only for someone listening: it is on every task's path.
    const watched = this.listenerCount('progress') > 0;
    if (watched) this.emit('progress', { type: 'taskStarted', ...progress });
    // The library times the task out on its own timer; this one only reports it.
    let reported = !watched;
    const timer = watched
      ? setTimeout(() => {
        reported = true;
        this.emit('progress', { type: 'taskFailed', ...progress, durationMs: this.clock.now() - started, error: 'States.Timeout', cause: `task timed out after ${task.timeoutSeconds}s` });
      }, task.timeoutSeconds * 1000)
      : undefined;
    timer?.unref();
    try {
      await this.yieldIfBusy();
      const handler = await this.loader.load(task.handler);
      const context = createLambdaContext({
        functionName: task.functionName,
        requestId: randomUUID(),
        region: this.region,
        deadline: started + task.timeoutSeconds * 1000,
        now: () => this.clock.now(),
        memoryMb: task.memoryMb,
      });
      // Lambda hands the handler a JSON copy of the payload: the same round trip here.
      const result = await handler(JSON.parse(JSON.stringify(event)), context);
      // Lambda serialises the response: undefined becomes null, Dates become strings.
      const payload = result === undefined ? null : JSON.parse(JSON.stringify(result));
      if (!reported) this.emit('progress', { type: 'taskSucceeded', ...progress, durationMs: this.clock.now() - started });
      return payload;
    } catch (thrown) {
      const error = LambdaTaskError.from(thrown);
      if (!reported) {
        this.emit('progress', { type: 'taskFailed', ...progress, durationMs: this.clock.now() - started, error: error.name, cause: error.message });
      }
      throw error;
    } finally {
      clearTimeout(timer);
      reported = true;
    }
  }

  /**
   * A busy engine runs state after state as resolved promises and never lets timers or sockets in
   * (schedules would fire late, HTTP requests would wait), where a real Lambda invocation is I/O.
   * Yield to the event loop every YIELD_EVERY_TASKS invocations; on every one would halve throughput.
   */
  private async yieldIfBusy(): Promise<void> {
    if (++this.invocationsSinceYield < YIELD_EVERY_TASKS) return;
    this.invocationsSinceYield = 0;
    await new Promise((resolve) => setImmediate(resolve));
  }

  private outcomeOf(error: unknown, entry: Entry, workflow: Workflow): Outcome {
    if (error instanceof ExecutionAbortedError) {
      return { status: 'ABORTED', error: entry.stopReason?.error, cause: entry.stopReason?.cause };
    }
    if (error instanceof ExecutionTimeoutError) {
      return { status: 'TIMED_OUT', error: 'States.Timeout', cause: `execution exceeded TimeoutSeconds (${workflow.plan.asl.TimeoutSeconds}s)` };
    }
    if (error instanceof ExecutionError && error.cause instanceof Error) {
      const failure = error.cause as Error & { cause?: unknown };
      const cause = failure.cause ?? failure.message;
      return { status: 'FAILED', error: failure.name, cause: typeof cause === 'string' ? cause : JSON.stringify(cause) };
    }
    return { status: 'FAILED', error: 'States.Runtime', cause: error instanceof Error ? error.message : String(error) };
  }

  private async finish(entry: Entry, outcome: Outcome): Promise<ExecutionDescription> {
    if (entry.shutdown) return entry.description;
    const description: ExecutionDescription = { ...entry.description, ...outcome, stopDate: new Date(this.clock.now()) };
    entry.description = description;
    await this.journal?.save(description);
    await this.publish(description);
    this.forgetOldest(description.executionArn);
    return description;
  }

  /**
   * Keeps the newest MAX_FINISHED_IN_MEMORY finished executions in memory: a long-running dev stack would
   * otherwise grow without bound. Older ones stay in the journal and the execution store, which the API reads.
   */
  private forgetOldest(finishedArn: string): void {
    this.finished.push(finishedArn);
    while (this.finished.length > MAX_FINISHED_IN_MEMORY) {
      const oldest = this.finished.shift()!;
      if (this.executions.get(oldest)?.description.status !== 'RUNNING') this.executions.delete(oldest);
    }
  }

  /** Emits the status change and queues it for the listener; resolves once the listener has it. */
  private publish(description: ExecutionDescription): Promise<void> {
    const event = statusChangeEvent(description, this.region, new Date(this.clock.now()));
    this.emit('status', event);
    const listener = this.props.onStatusChange;
    const arn = description.executionArn;
    const delivered = (this.deliveries.get(arn) ?? Promise.resolve()).then(async () => {
      try {
        await listener?.(event);
      } catch (error) {
        this.emit('listenerError', error, event);
      }
    });
    this.deliveries.set(arn, delivered);
    // Forget the chain once it is drained, so the map holds only executions with changes in flight.
    void delivered.then(() => {
      if (this.deliveries.get(arn) === delivered) this.deliveries.delete(arn);
    });
    return delivered;
  }

  private retryOverridesFor(states: Record<string, unknown>): Record<string, number | number[]> {
    const overrides: Record<string, number | number[]> = {};
    const visit = (inner: Record<string, unknown>): void => {
      for (const [name, raw] of Object.entries(inner)) {
        const state = raw as Record<string, unknown>;
        if (this.props.retryIntervalMs !== undefined && Array.isArray(state.Retry)) overrides[name] = this.props.retryIntervalMs;
        for (const branch of (state.Branches as { States: Record<string, unknown> }[] | undefined) ?? []) visit(branch.States);
        const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, unknown> } | undefined;
        if (processor) visit(processor.States);
      }
    };
    visit(states);
    for (const [name, value] of Object.entries(this.props.retryIntervalOverrides ?? {})) overrides[name] = typeof value === 'number' ? value : [...value];
    return overrides;
  }
}
