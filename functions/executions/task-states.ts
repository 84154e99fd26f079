import type { TaskState } from '../../core/contracts/task-state.ts';
import type { HistoryEvent } from './execution-history.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The Task states of an execution, in the order they were entered, folded from its history. Both the
 * events of Lambda ARN resources (LambdaFunction*) and of service integrations (Task*) count; an
 * event belongs to the state its previousEventId chain leads to.
 */
export function taskStates(events: readonly HistoryEvent[]): TaskState[] {
  const states: Mutable<TaskState>[] = [];
  const stateOfEvent = new Map<number, Mutable<TaskState>>();
  for (const event of events) {
    const id = event.id ?? 0;
    const when = iso(event.timestamp);
    if (event.type === 'TaskStateEntered' && event.stateEnteredEventDetails?.name) {
      const state: Mutable<TaskState> = {
        name: event.stateEnteredEventDetails.name,
        status: 'RUNNING',
        attempts: 0,
        startDate: when,
        stopDate: null,
        input: parse(event.stateEnteredEventDetails.input),
        output: null,
        error: null,
        cause: null,
      };
      states.push(state);
      stateOfEvent.set(id, state);
      continue;
    }
    const state = stateOfEvent.get(event.previousEventId ?? -1);
    if (!state) continue;
    stateOfEvent.set(id, state);
    const failure = event.lambdaFunctionFailedEventDetails ?? event.taskFailedEventDetails ?? event.lambdaFunctionTimedOutEventDetails ?? event.taskTimedOutEventDetails;
    switch (event.type) {
      case 'LambdaFunctionScheduled':
      case 'TaskScheduled':
        state.attempts += 1;
        state.status = 'RUNNING';
        break;
      case 'LambdaFunctionSucceeded':
      case 'TaskSucceeded':
        state.output = parse(event.lambdaFunctionSucceededEventDetails?.output ?? event.taskSucceededEventDetails?.output);
        state.error = null;
        state.cause = null;
        break;
      case 'LambdaFunctionFailed':
      case 'TaskFailed':
      case 'LambdaFunctionTimedOut':
      case 'TaskTimedOut':
        state.status = event.type.endsWith('TimedOut') ? 'TIMED_OUT' : 'FAILED';
        state.error = failure?.error ?? null;
        state.cause = failure?.cause ?? null;
        state.stopDate = when;
        break;
      case 'TaskStateExited':
        state.status = 'SUCCEEDED';
        state.stopDate = when;
        break;
      default:
        break;
    }
  }
  return states;
}

function iso(date: Date | string | undefined): string {
  return date ? new Date(date).toISOString() : '';
}

function parse(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
