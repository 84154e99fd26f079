import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { ProgressEvent } from './execution.ts';
import { HandlerLoader } from './handler-loader.ts';
import { createLambdaContext } from './lambda-context.ts';
import { LambdaTaskError } from './lambda-error.ts';
import type { LocalTaskState } from './prepare-asl.ts';

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
}

/** One Task state's invocation. */
export interface TaskCall {
  readonly task: LocalTaskState;
  readonly workflow: string;
  readonly executionArn: string;
  /** 0 on the first attempt. */
  readonly attempt: number;
  /** The state's input with its Context Object bindings applied: the Lambda payload. */
  readonly event: unknown;
}

/** Calls Task states' handler modules in-process as Lambda would, reporting their progress. */
export class TaskInvoker {
  private readonly loader = new HandlerLoader();
  private invocationsSinceYield = 0;

  constructor(private readonly props: TaskInvokerProps) {}

  async invoke({ task, workflow, executionArn, attempt, event }: TaskCall): Promise<unknown> {
    const { clock, progress: sink } = this.props;
    const progress = { executionArn, workflow, state: task.stateName, task: task.plan.task, attempt };
    const started = clock.now();
    const watched = sink.watched();
    if (watched) sink.emit({ type: 'taskStarted', ...progress });
    // The library times the task out on its own timer; this one only reports it.
    let reported = !watched;
    const timer = watched
      ? setTimeout(() => {
        reported = true;
        sink.emit({ type: 'taskFailed', ...progress, durationMs: clock.now() - started, error: 'States.Timeout', cause: `task timed out after ${task.timeoutSeconds}s` });
      }, task.timeoutSeconds * 1000)
      : undefined;
    timer?.unref();
    try {
      await this.yieldIfBusy();
      const handler = await this.loader.load(task.handler);
      const context = createLambdaContext({
        functionName: task.functionName,
        requestId: randomUUID(),
        region: this.props.region,
        deadline: started + task.timeoutSeconds * 1000,
        now: () => clock.now(),
        memoryMb: task.memoryMb,
      });
      // Lambda hands the handler a JSON copy of the payload: the same round trip here.
      const result = await handler(JSON.parse(JSON.stringify(event)), context);
      // Lambda serialises the response: undefined becomes null, Dates become strings.
      const payload = result === undefined ? null : JSON.parse(JSON.stringify(result));
      if (!reported) sink.emit({ type: 'taskSucceeded', ...progress, durationMs: clock.now() - started });
      return payload;
    } catch (thrown) {
      const error = LambdaTaskError.from(thrown);
      if (!reported) sink.emit({ type: 'taskFailed', ...progress, durationMs: clock.now() - started, error: error.name, cause: error.message });
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
}
