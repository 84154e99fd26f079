import { LOCAL_ACCOUNT } from './arn.ts';
import type { ExecutionEntry } from './execution-table.ts';
import type { ExecutionJournal } from './journal.ts';
import { LambdaTaskError } from './lambda-error.ts';
import { outcomeKey, recordError, replayError } from './recorded-outcome.ts';
import type { TaskCall, TaskInvoker } from './task-invoker.ts';
import { TaskTimedOut } from './task-timed-out.ts';

export interface DurableInvokerProps {
  readonly invoker: TaskInvoker;
  readonly region: string;
  /** Where outcomes are flushed before the interpreter gets them. @default none: nothing survives the process */
  readonly journal?: ExecutionJournal;
  /** True once the engine is closing: no further task starts. */
  readonly closing: () => boolean;
}

/**
 * Task attempts as a durable execution sees them: answered from the journal when their outcome is recorded
 * (a resumed execution replays its history, as Temporal does), else run, added to the execution's history
 * and flushed to the journal before the interpreter gets the outcome.
 */
export class DurableInvoker {
  /** Task calls running now, so the engine's `close()` can let them end. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly props: DurableInvokerProps) {}

  /** Once the engine is closing, no task starts: the call is left pending and the execution resumes at the next start. */
  invoke(entry: ExecutionEntry, call: TaskCall): Promise<unknown> {
    const recorded = entry.outcomes?.get(outcomeKey(call.task.stateName, call.attempt));
    if (recorded) return recorded.error ? Promise.reject(replayError(recorded.error)) : Promise.resolve(recorded.result);
    if (this.props.closing()) return new Promise(() => undefined);
    const { executionArn: arn, task, attempt } = call;
    const { journal } = this.props;
    const work = this.invokeRecorded(entry, call).then(
      async (result) => {
        await journal?.recordTask(arn, task.stateName, attempt, { result });
        return result;
      },
      async (error: unknown) => {
        await journal?.recordTask(arn, task.stateName, attempt, { error: recordError(error) });
        throw error;
      },
    );
    this.inFlight.add(work);
    const forget = () => void this.inFlight.delete(work);
    void work.then(forget, forget);
    return work;
  }

  /** Resolves when the task calls running now have ended, or after `graceMs`. */
  async settle(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  /** A Task state's invocation, with its events added to the execution's history (as Step Functions lists them). */
  private async invokeRecorded(entry: ExecutionEntry, call: TaskCall): Promise<unknown> {
    const attempt = entry.history?.taskStarted({
      stateName: call.task.stateName,
      functionArn: `arn:aws:lambda:${this.props.region}:${LOCAL_ACCOUNT}:function:${call.task.functionName}`,
      attempt: call.attempt,
      input: call.event,
      timeoutSeconds: call.task.timeoutSeconds,
    });
    try {
      const output = await this.props.invoker.invoke(call);
      attempt?.succeeded(output);
      return output;
    } catch (error) {
      const failure = error as Error & { cause?: unknown };
      const cause = error instanceof LambdaTaskError ? String(failure.cause) : error instanceof TaskTimedOut ? `task timed out after ${call.task.timeoutSeconds}s` : failure.message;
      attempt?.failed(failure.name, cause, error instanceof TaskTimedOut);
      throw error;
    }
  }
}
