import { AsyncLocalStorage } from 'node:async_hooks';
import { lambdaLogger } from './lambda-entry.ts';

/** One structured JSON line per event, so CloudWatch Logs Insights can query the fields. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

export type Logger = (level: LogLevel, message: string, fields?: LogFields) => void;

/** Where the JSON lines of one invocation go, when its runtime says (the offline engine does). */
export type LogSink = (line: string, level: LogLevel) => void;

const sinks = new AsyncLocalStorage<LogSink>();

/**
 * Runs `work` with its log lines sent to `sink`: the offline engine wraps each task invocation, so
 * `stepflow run` can keep stdout for the result and a dev stack can keep each execution's logs apart.
 */
export function withLogSink<T>(sink: LogSink, work: () => T): T {
  return sinks.run(sink, work);
}

/**
 * The invocation's sink when there is one; otherwise stdout and stderr as Lambda has them (both go to
 * CloudWatch): warnings and errors to stderr, the rest to stdout. `STEPFLOW_LOG=stderr` sends everything
 * to stderr, `STEPFLOW_LOG=off` nothing.
 */
export const jsonLogger: Logger = (level, message, fields = {}) => {
  const sink = sinks.getStore();
  const target = sink ? undefined : process.env.STEPFLOW_LOG;
  if (target === 'off') return;
  // In Lambda the Powertools Logger writes the line, with the Lambda context and the ids `withPowertools` appends.
  const powertools = sink || target !== undefined ? undefined : lambdaLogger();
  if (powertools) {
    powertools[level](message, { ...fields });
    return;
  }
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields });
  if (sink) sink(line, level);
  else if (target === 'stderr' || level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
};

/** An error as log fields: name, message, stack (logs only, never responses). */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { error: error.name, errorMessage: error.message, stack: error.stack };
  return { error: String(error) };
}
