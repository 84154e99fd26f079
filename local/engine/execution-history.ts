import type { Clock } from '../clock.ts';
import type { ExecutionDescription } from './execution.ts';

/**
 * One event of GetExecutionHistory, as Step Functions shapes it
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html): a type, an id
 * counted from 1, the id of the event that led to it, and one `<type>EventDetails` field.
 */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: Date;
  readonly type: string;
  readonly [details: string]: unknown;
}

/** What a Task state's invocation is known by in the history. */
export interface TaskAttempt {
  readonly stateName: string;
  readonly functionArn: string;
  /** 0 on the first attempt. */
  readonly attempt: number;
  readonly input: unknown;
  /** The state's TimeoutSeconds; absent when it sets none. */
  readonly timeoutSeconds?: number;
}

const LOCAL_ROLE = 'arn:aws:iam::000000000000:role/stepflow-local';
const NOT_TRUNCATED = { truncated: false };

/**
 * The history of one execution, recorded as it runs. Task states whose Resource is a function ARN get
 * the events Step Functions emits for them: TaskStateEntered, then per attempt LambdaFunctionScheduled,
 * LambdaFunctionStarted and LambdaFunctionSucceeded / Failed / TimedOut, then TaskStateExited. Events of
 * one state chain to each other through previousEventId, so parallel branches read as Step Functions
 * shows them. States other than Task states are not recorded (see local/README.md).
 */
export class ExecutionHistory {
  private readonly list: HistoryEvent[] = [];
  /** Last event id of each state, so an attempt's events follow the state's own previous one. */
  private readonly lastOfState = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  get events(): readonly HistoryEvent[] {
    return this.list;
  }

  executionStarted(description: ExecutionDescription): void {
    this.add('ExecutionStarted', 0, { executionStartedEventDetails: { input: description.input, inputDetails: NOT_TRUNCATED, roleArn: LOCAL_ROLE } }, description.startDate);
  }

  /** Records a Task state's attempt starting; returns how to record its end. */
  taskStarted(task: TaskAttempt): { succeeded(output: unknown): void; failed(error: string, cause: string, timedOut: boolean): void } {
    const input = JSON.stringify(task.input ?? null);
    let previous = this.lastOfState.get(task.stateName) ?? this.lastId();
    if (task.attempt === 0) {
      previous = this.add('TaskStateEntered', previous, { stateEnteredEventDetails: { name: task.stateName, input, inputDetails: NOT_TRUNCATED } });
    }
    previous = this.add('LambdaFunctionScheduled', previous, {
      lambdaFunctionScheduledEventDetails: {
        resource: task.functionArn,
        input,
        inputDetails: NOT_TRUNCATED,
        ...(task.timeoutSeconds !== undefined ? { timeoutInSeconds: task.timeoutSeconds } : {}),
      },
    });
    previous = this.add('LambdaFunctionStarted', previous, {});
    this.lastOfState.set(task.stateName, previous);
    return {
      succeeded: (output) => {
        const text = JSON.stringify(output ?? null);
        const id = this.add('LambdaFunctionSucceeded', previous, { lambdaFunctionSucceededEventDetails: { output: text, outputDetails: NOT_TRUNCATED } });
        this.lastOfState.set(task.stateName, this.add('TaskStateExited', id, { stateExitedEventDetails: { name: task.stateName, output: text, outputDetails: NOT_TRUNCATED } }));
      },
      failed: (error, cause, timedOut) => {
        const details = { error, cause };
        const id = timedOut
          ? this.add('LambdaFunctionTimedOut', previous, { lambdaFunctionTimedOutEventDetails: details })
          : this.add('LambdaFunctionFailed', previous, { lambdaFunctionFailedEventDetails: details });
        this.lastOfState.set(task.stateName, id);
      },
    };
  }

  /** The closing event of an execution that has ended. */
  executionEnded(description: ExecutionDescription): void {
    const details = { error: description.error, cause: description.cause };
    const when = description.stopDate;
    switch (description.status) {
      case 'SUCCEEDED':
        this.add('ExecutionSucceeded', this.lastId(), { executionSucceededEventDetails: { output: description.output, outputDetails: NOT_TRUNCATED } }, when);
        break;
      case 'FAILED':
        this.add('ExecutionFailed', this.lastId(), { executionFailedEventDetails: details }, when);
        break;
      case 'TIMED_OUT':
        this.add('ExecutionTimedOut', this.lastId(), { executionTimedOutEventDetails: details }, when);
        break;
      case 'ABORTED':
        this.add('ExecutionAborted', this.lastId(), { executionAbortedEventDetails: details }, when);
        break;
      default:
        break;
    }
  }

  /** A history read back from disk. */
  static from(events: readonly HistoryEvent[], clock: Clock): ExecutionHistory {
    const history = new ExecutionHistory(clock);
    history.list.push(...events);
    return history;
  }

  /**
   * What can be told of an execution whose history was not kept (started by an older stack): its start
   * and, when it has ended, its end.
   */
  static summary(description: ExecutionDescription, clock: Clock): ExecutionHistory {
    const history = new ExecutionHistory(clock);
    history.executionStarted(description);
    history.executionEnded(description);
    return history;
  }

  private lastId(): number {
    return this.list.length;
  }

  private add(type: string, previousEventId: number, details: Record<string, unknown>, at?: Date): number {
    const id = this.list.length + 1;
    this.list.push({ id, previousEventId, timestamp: at ?? new Date(this.clock.now()), type, ...details });
    return id;
  }
}
