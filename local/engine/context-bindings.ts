/**
 * aws-local-stepfunctions gives every state the same static Context Object: it has no `$$.State`, and
 * inside Parallel branches `$$.Execution.Input` is the branch input, not the execution input. The
 * engine therefore records which Parameters fields come from the Context Object and rewrites them with
 * the true values before the handler runs (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html).
 */
export interface ContextBinding {
  /** Where the value lands in the Parameters-applied input, e.g. `['attempt']`. */
  readonly target: readonly (string | number)[];
  /** The Context Object path, e.g. `$$.State.RetryCount`. */
  readonly path: string;
  /** `path` parsed once; undefined for paths fancier than keys and indexes. */
  readonly segments?: readonly (string | number)[];
}

/** Every `"key.$": "$$..."` of a Parameters template, nested objects and arrays (PutEvents' Entries) included. */
export function contextBindings(parameters: unknown, prefix: readonly (string | number)[] = []): ContextBinding[] {
  if (typeof parameters !== 'object' || parameters === null) return [];
  if (Array.isArray(parameters)) return parameters.flatMap((item, i) => contextBindings(item, [...prefix, i]));
  const bindings: ContextBinding[] = [];
  for (const [key, value] of Object.entries(parameters)) {
    if (key.endsWith('.$') && typeof value === 'string' && value.startsWith('$$')) {
      bindings.push({ target: [...prefix, key.slice(0, -2)], path: value, segments: parseContextPath(value) });
    } else if (typeof value === 'object' && value !== null) {
      bindings.push(...contextBindings(value, [...prefix, key]));
    }
  }
  return bindings;
}

/**
 * The input with each bound field replaced by its value in `context`; fields whose path is not a plain
 * path keep the library's value. Only the objects along each target are copied: the caller serialises
 * the result (as Lambda does), so nothing shared is ever handed to a handler.
 */
export function applyContextBindings(input: unknown, bindings: readonly ContextBinding[], context: unknown): unknown {
  if (bindings.length === 0 || typeof input !== 'object' || input === null) return input;
  const out = { ...(input as Record<string, unknown>) };
  for (const binding of bindings) {
    const segments = binding.segments ?? parseContextPath(binding.path);
    if (!segments) continue;
    const value = valueAt(context, segments);
    if (value === undefined) continue;
    setAt(out, binding.target, value);
  }
  return out;
}

/** `$$.Execution.Input['a'][0]` → `['Execution', 'Input', 'a', 0]`; undefined for anything fancier. */
export function parseContextPath(path: string): (string | number)[] | undefined {
  if (!path.startsWith('$$')) return undefined;
  const segments: (string | number)[] = [];
  const pattern = /\.([A-Za-z_][\w-]*)|\['([^']*)'\]|\[(\d+)\]/y;
  let index = 2;
  while (index < path.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(path);
    if (!match) return undefined;
    segments.push(match[1] ?? match[2] ?? Number(match[3]));
    index = pattern.lastIndex;
  }
  return segments;
}

function valueAt(value: unknown, segments: readonly (string | number)[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** Sets a nested field, copying each object on the way so the original input is left as it was. */
function setAt(target: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let current: Record<string | number, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    if (typeof next !== 'object' || next === null) return;
    current = current[key] = (Array.isArray(next) ? [...next] : { ...(next as Record<string, unknown>) }) as Record<string | number, unknown>;
  }
  current[path[path.length - 1]] = value;
}
