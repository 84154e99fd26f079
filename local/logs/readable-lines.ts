import type { ProgressEvent } from '../engine/execution.ts';
import type { ExecutionStatusChangeEvent } from '../engine/status-event.ts';

/** `workflow/execution` of an execution ARN. */
function executionLabel(executionArn: string): string {
  const [, , , , , , workflow, name] = executionArn.split(':');
  return `${workflow}/${name}`;
}

/** One readable line per execution status change: `● orders/o-1 SUCCEEDED`. */
export function statusLine(event: ExecutionStatusChangeEvent): string {
  const { status, executionArn, error, cause } = event.detail;
  const mark = status === 'RUNNING' ? '●' : status === 'SUCCEEDED' ? '✔' : '✖';
  return `${mark} ${executionLabel(executionArn)} ${status}${error ? ` ${error}${cause ? `: ${shortCause(cause)}` : ''}` : ''}`;
}

/** One readable line per task attempt event: `  ▶ orders/o-1 validate#1`. */
export function progressLine(event: ProgressEvent): string {
  const where = `${executionLabel(event.executionArn)} ${event.task}#${event.attempt + 1}`;
  if (event.type === 'taskStarted') return `  ▶ ${where}`;
  if (event.type === 'taskSucceeded') return `  ✔ ${where} ${event.durationMs} ms`;
  return `  ✖ ${where} ${event.durationMs} ms ${event.error}: ${shortCause(event.cause)}`;
}

/** A task's JSON log line as `    orders/o-1 validate#1 INFO message {other fields}`; other text unchanged. */
export function taskLogLine(line: string): string {
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof fields !== 'object' || fields === null) return line;
  const { level, message, time: _time, executionArn, execution: _execution, workflow: _workflow, task, state: _state, attempt, ...rest } = fields;
  const where = typeof executionArn === 'string' ? `${executionLabel(executionArn)} ${String(task ?? '')}#${Number(attempt ?? 0) + 1} ` : '';
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `    ${where}${String(level ?? 'info').toUpperCase()} ${String(message ?? '')}${extra}`;
}

/** A Lambda error envelope's message, else the cause itself. */
function shortCause(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // plain text
  }
  return cause;
}
