/**
 * One readable line for a handler module that failed to load: `file:line message`. tsx reports a syntax
 * error as esbuild's "Transform failed … <file>:<line>:<column>: ERROR: <message>"; an error thrown while
 * the module runs names the file and line in its stack.
 */
export function moduleErrorLine(file: string, error: unknown, shown: (file: string) => string = (f) => f): string {
  const err = error as Error;
  const text = `${err?.message ?? String(error)}\n${err?.stack ?? ''}`;
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const transform = new RegExp(`${escaped}:(\\d+):\\d+: ERROR: (.*)`).exec(text);
  if (transform) return `${shown(file)}:${transform[1]} ${transform[2]}`;
  const located = new RegExp(`${escaped}(?:\\?[^:]*)?:(\\d+)`).exec(text);
  const message = (err?.message ?? String(error)).split('\n')[0];
  return located ? `${shown(file)}:${located[1]} ${message}` : `${shown(file)} ${message}`;
}
