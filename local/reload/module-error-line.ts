/**
 * One readable line for a handler module that failed to load: `file:line message`. tsx reports a syntax
 * error as esbuild's "Transform failed … <file>:<line>:<column>: ERROR: <message>" (under Vite, oxc's
 * "[PARSE_ERROR] <message>" with a frame naming the file and line); an error thrown while
 * the module runs names the file and line in its stack.
 */
export function moduleErrorLine(file: string, error: unknown, shown: (file: string) => string = (f) => f): string {
  const err = error as Error & { errors?: { text?: string; location?: { line?: number } | null }[] };
  // esbuild's TransformFailure carries its messages with their locations.
  const first = err?.errors?.[0];
  if (first?.location?.line !== undefined && first.text) return `${shown(file)}:${first.location.line} ${first.text}`;
  // Colour codes removed: some transformers colour their report.
  const text = `${err?.message ?? String(error)}\n${err?.stack ?? ''}`.replace(/\u001b\[[0-9;]*m/g, '');
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The path may carry the reload query (`?stepflow-reload=N`) or be written relative to the working folder.
  const base = (file.split(/[\\/]/).pop() ?? file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const transform = new RegExp(`(?:${escaped}|${base})(?:\\?[^:\\s]*)?:(\\d+):\\d+: ERROR: (.*)`).exec(text);
  if (transform) return `${shown(file)}:${transform[1]} ${transform[2]}`;
  // oxc (Vite's transformer): "[PARSE_ERROR] <message>" then a frame naming "<file>:<line>:<column>".
  const parse = new RegExp(`\\[[A-Z_]+\\]\\s*(.*)\\n[\\s\\S]*?${base}(?:\\?[^:\\s]*)?:(\\d+):\\d+`).exec(text);
  if (parse) return `${shown(file)}:${parse[2]} ${parse[1].trim()}`;
  const located = new RegExp(`${escaped}(?:\\?[^:]*)?:(\\d+)`).exec(text);
  const message = (err?.message ?? String(error)).split('\n')[0];
  return located ? `${shown(file)}:${located[1]} ${message}` : `${shown(file)} ${message}`;
}
