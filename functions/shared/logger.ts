/** One structured JSON line per event, so CloudWatch Logs Insights can query the fields. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

export type Logger = (level: LogLevel, message: string, fields?: LogFields) => void;

/**
 * STEPFLOW_LOG: unset writes warnings and errors to stderr and the rest to stdout (Lambda sends both
 * to CloudWatch); `stderr` writes everything to stderr, so a command's stdout stays machine-readable;
 * `off` writes nothing. Read on every call: the command line sets it after modules are loaded.
 */
export const jsonLogger: Logger = (level, message, fields = {}) => {
  const target = process.env.STEPFLOW_LOG;
  if (target === 'off') return;
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields });
  if (target === 'stderr' || level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
};

/** An error as log fields: name, message, stack (logs only, never responses). */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { error: error.name, errorMessage: error.message, stack: error.stack };
  return { error: String(error) };
}
