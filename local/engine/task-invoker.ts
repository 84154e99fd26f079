import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock.ts';
import type { ProgressEvent } from './execution.ts';
import type { HandlerRef } from '../../core/definition/model.ts';
import { withLogSink, type LogSink } from '../../functions/shared/logger.ts';
import { HandlerLoader, type LambdaHandler } from './handler-loader.ts';
import { createLambdaContext } from './lambda-context.ts';
import { LambdaTaskError } from './lambda-error.ts';
import { checkPayload } from './payload-limit.ts';
import type { LocalTaskState } from './prepare-asl.ts';
import { HeartbeatTimedOut } from './heartbeat-timed-out.ts';
import { TaskTimedOut } from './task-timed-out.ts';
import { TokenFailure, type PendingTask } from './task-tokens.ts';

/** Task invocations between two turns given back to the event loop. */
const YIELD_EVERY_TASKS = 2;

/** Where progress goes; building it is skipped when nobody watches, as it is on every task's path. */
export interface ProgressSink {
  watched(): boolean;
  emit(event: ProgressEvent): void;
}

export interface TaskInvokerProps {
  readonly region: string;
  readonly clock: Clock;
  readonly progress: ProgressSink;
  /** Where handlers' log lines go. @default stdout and stderr */
  readonly log?: LogSink;
  /** Handlers already in this process, by `handlerKey`: used instead of importing their module. @default none */
  readonly handlers?: ReadonlyMap<string, LambdaHandler>;
}

/** What each log line of a task invocation is tagged with, so an execution's lines can be kept apart. */
export interface TaskLogIds {
  readonly executionArn: string;
  readonly workflow: string;
  readonly task: string;
  readonly state: string;
  /** 0 on the first attempt. */
  readonly attempt: number;
}

/** A sink adding the invocation's ids to each JSON line (lines that are not JSON objects pass unchanged). */
function tagged(sink: LogSink, ids: TaskLogIds): LogSink {
  return (line, level) => {
    let fields: unknown;
    try {
      fields = JSON.parse(line);
    } catch {
      return sink(line, level);
    }
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return sink(line, level);
    sink(JSON.stringify({ ...fields, ...ids }), level);
  };
}

/** `file#export`: how a handler is known. */
export function handlerKey(ref: HandlerRef): string {
  return `${ref.file}#${ref.exportName}`;
}

/** One Task state's invocation. */
export interface TaskCall {
  readonly task: LocalTaskState;
  readonly workflow: string;
  readonly executionArn: string;
  /** 0 on the first attempt. */
  readonly attempt: number;
  /** The state's input with its Context Object bindings applied: the Lambda payload (or, for `lambda:invoke`, its Payload). */
  readonly event: unknown;
  /** The state's input before those bindings: the same for every attempt, so a redrive can match it. @default event */
  readonly stateInput?: unknown;
  /** For a `.waitForTaskToken` state: the token its payload carries, which ends it. */
  readonly token?: PendingTask;
}

/** Calls Task states' handler modules in-process as Lambda would, reporting their progress. */
export class TaskInvoker {
  private readonly loader = new HandlerLoader();
  private invocationsSinceYield = 0;

  constructor(private readonly props: TaskInvokerProps) {}

  /**
   * Runs one attempt of a Task state: its Lambda, stopped at the function's timeout (Sandbox.Timedout,
   * a Lambda error); for a `.waitForTaskToken` state, then its token; the whole stopped at the state's
   * TimeoutSeconds if it has one (States.Timeout). The result is held to the payload limit.
   */
  async invoke({ task, workflow, executionArn, attempt, event, token }: TaskCall): Promise<unknown> {
    const { clock, progress: sink } = this.props;
    const progress = { executionArn, workflow, state: task.stateName, task: task.plan.task, attempt };
    const started = clock.now();
    const durationMs = () => Math.round(clock.now() - started);
    const watched = sink.watched();
    if (watched) sink.emit({ type: 'taskStarted', ...progress });
    // Step Functions stops waiting at TimeoutSeconds, Lambda at its own timeout; a handler running
    // in-process cannot be stopped, only left.
    const timers: TimerHandle[] = [];
    const after = (seconds: number, error: () => Error) =>
      new Promise<never>((_, reject) => {
        timers.push(clock.setTimeout(() => reject(error()), seconds * 1000));
      });
    const stateTimeout = task.timeoutSeconds === undefined ? [] : [after(task.timeoutSeconds, () => new TaskTimedOut(task.timeoutSeconds!))];
    try {
      const payload = task.waitForToken && task.payload !== 'parameters' ? (event as { Payload?: unknown } | null)?.Payload : event;
      const lambda = this.call(task, payload, started, { executionArn, workflow, task: task.plan.task, state: task.stateName, attempt });
      const lambdaTimeout = after(task.lambdaTimeoutSeconds, () => sandboxTimedOut(task.lambdaTimeoutSeconds));
      let result = await Promise.race([Promise.race([lambda, lambdaTimeout]), ...stateTimeout]);
      if (token) result = await Promise.race([token.result, ...stateTimeout, ...this.heartbeatTimeout(task, token, timers)]);
      checkPayload(task, task.waitForToken ? undefined : event, result);
      if (watched) sink.emit({ type: 'taskSucceeded', ...progress, durationMs: durationMs() });
      return result;
    } catch (thrown) {
      token?.cancel();
      const error = thrown instanceof TaskTimedOut || isStateError(thrown) ? (thrown as Error) : LambdaTaskError.from(thrown);
      if (watched) {
        const cause = error instanceof TaskTimedOut ? `task timed out after ${task.timeoutSeconds}s` : error.message;
        sink.emit({ type: 'taskFailed', ...progress, durationMs: durationMs(), error: error.name, cause });
      }
      throw error;
    } finally {
      for (const timer of timers) clock.clearTimeout(timer);
    }
  }

  /** Fails with States.HeartbeatTimeout once HeartbeatSeconds pass without a heartbeat; each heartbeat restarts the wait. */
  private heartbeatTimeout(task: LocalTaskState, token: PendingTask, timers: TimerHandle[]): Promise<never>[] {
    const seconds = task.heartbeatSeconds;
    if (seconds === undefined) return [];
    const { clock } = this.props;
    return [new Promise<never>((_, reject) => {
      let timer = clock.setTimeout(() => reject(new HeartbeatTimedOut(seconds)), seconds * 1000);
      timers.push(timer);
      token.onHeartbeat(() => {
        clock.clearTimeout(timer);
        timer = clock.setTimeout(() => reject(new HeartbeatTimedOut(seconds)), seconds * 1000);
        timers.push(timer);
      });
    })];
  }

  /** The handler called with a Lambda context, its payload and response round-tripped through JSON as Lambda does. */
  private async call(task: LocalTaskState, event: unknown, started: number, ids: TaskLogIds): Promise<unknown> {
    await this.yieldIfBusy();
    const handler = this.props.handlers?.get(handlerKey(task.handler)) ?? (await this.loader.load(task.handler, task.handlerVersion));
    const context = createLambdaContext({
      functionName: task.functionName,
      requestId: randomUUID(),
      region: this.props.region,
      deadline: started + task.lambdaTimeoutSeconds * 1000,
      now: () => this.props.clock.now(),
      memoryMb: task.memoryMb,
    });
    const payload = JSON.parse(JSON.stringify(event));
    const { log } = this.props;
    const result = await (log ? withLogSink(tagged(log, ids), () => handler(payload, context)) : handler(payload, context));
    // Lambda serialises the response: undefined becomes null, Dates become strings.
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  }

  /**
   * A busy engine runs state after state as resolved promises and never lets timers or sockets in
   * (schedules would fire late, HTTP requests would wait), where a real Lambda invocation is I/O.
   * Yield to the event loop every YIELD_EVERY_TASKS invocations; on every one would halve throughput.
   * The event loop's own setImmediate, not the clock's: this is about I/O getting a turn, not about time.
   */
  private async yieldIfBusy(): Promise<void> {
    if (++this.invocationsSinceYield < YIELD_EVERY_TASKS) return;
    this.invocationsSinceYield = 0;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * What Step Functions reports when a Lambda runs past its own timeout: a Lambda error named
 * Sandbox.Timedout (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html).
 */
function sandboxTimedOut(seconds: number): LambdaTaskError {
  return new LambdaTaskError({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${randomUUID()} Error: Task timed out after ${seconds.toFixed(2)} seconds`, trace: [] });
}

/** Errors the state itself raises rather than its Lambda: the payload limit, SendTaskFailure's. */
function isStateError(thrown: unknown): boolean {
  return thrown instanceof Error && (thrown.name === 'States.DataLimitExceeded' || thrown instanceof TokenFailure || thrown instanceof HeartbeatTimedOut);
}
