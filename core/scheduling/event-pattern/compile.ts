/**
 * The matcher of a valid event pattern (compile once, match many events): objects are ANDed, leaves ORed,
 * arrays in events matched element by element; each operator's test comes from operators.ts.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 */
import { InvalidEventPatternError } from '../errors.ts';
import { parseIp, type IpAddress } from '../private/ip-address.ts';
import { isJsonNumber, isPlainObject, numberText, parseJsonKeepingNumbers } from '../private/json-number.ts';
import { compileOperator, type ValueOperator, type ValueTest } from './operators.ts';
import { checkEventPattern } from './validate.ts';

/** An event pattern: a JSON object, or its JSON text (text keeps number spellings such as `3.0e2`). */
export type EventPatternInput = Record<string, unknown> | string;

/**
 * Tells whether one event matches. The event is a parsed object, or JSON text: text keeps the spelling of
 * numbers, which exact matching compares ("300, 300.0, and 3.0e2 are not considered equal",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html). A parsed object has
 * lost the spelling, so there a number is compared as JavaScript prints it.
 */
export type EventMatcher = (event: unknown) => boolean;

/**
 * Compiles a pattern into a matcher; throws `InvalidEventPatternError` (with every problem) for a pattern
 * EventBridge would refuse.
 */
export function compileEventPattern(pattern: EventPatternInput): EventMatcher {
  const { root, problems } = checkEventPattern(pattern);
  if (problems.length > 0 || root === undefined) throw new InvalidEventPatternError(problems);
  const match = compileObject(root);
  return (event) => match(typeof event === 'string' ? parseJsonKeepingNumbers(event) : event);
}

/** One-off match; compile with `compileEventPattern` when the pattern is used more than once. */
export function matchesEventPattern(pattern: EventPatternInput, event: unknown): boolean {
  return compileEventPattern(pattern)(event);
}

type NodeMatcher = (value: unknown) => boolean;

/**
 * An object in the pattern: every field must match (AND), each `$or` needs one matching branch. When the
 * event holds an array where the pattern holds an object, the object must match within ONE element: Event
 * Ruler "will refuse to recognize any match in which any two fields are within JSON objects that are in
 * different elements of the same array".
 */
function compileObject(node: Record<string, unknown>): NodeMatcher {
  const checks: NodeMatcher[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === '$or') {
      const branches = (value as Record<string, unknown>[]).map(compileObject);
      checks.push((obj) => branches.some((branch) => branch(obj)));
    } else if (key.includes('.')) {
      // A dotted key names a nested field: Event Ruler flattens patterns and events alike to dotted
      // paths, so {"detail.state": [...]} and {"detail": {"state": [...]}} are the same pattern.
      const [head, ...rest] = key.split('.');
      const child = compileObject({ [rest.join('.')]: value });
      checks.push((obj) => child(fieldOf(obj, head)));
    } else if (Array.isArray(value)) {
      const leaf = compileLeaf(value);
      checks.push((obj) => leaf(fieldOf(obj, key)));
    } else {
      const child = compileObject(value as Record<string, unknown>);
      checks.push((obj) => child(fieldOf(obj, key)));
    }
  }
  const matchOne = (obj: unknown): boolean => {
    for (const check of checks) if (!check(obj)) return false;
    return true;
  };
  const matchNode = (obj: unknown): boolean => {
    if (!Array.isArray(obj)) return matchOne(obj);
    if (obj.length === 0) return matchOne(undefined);
    for (const element of obj) if (matchNode(element)) return true;
    return false;
  };
  return matchNode;
}

/**
 * A field of an event object. Keys written with dots in the event count as nested fields too
 * (`{"detail.state": "x"}` is `detail` → `state`), as Event Ruler flattens events to dotted paths.
 */
function fieldOf(obj: unknown, key: string): unknown {
  if (!isPlainObject(obj)) return undefined;
  const direct = Object.hasOwn(obj, key) ? obj[key] : undefined;
  const prefix = `${key}.`;
  let nested: Record<string, unknown> | undefined;
  for (const name of Object.keys(obj)) {
    if (name.startsWith(prefix)) (nested ??= {})[name.slice(prefix.length)] = obj[name];
  }
  if (nested === undefined) return direct;
  if (direct === undefined) return nested;
  return isPlainObject(direct) ? { ...direct, ...nested } : direct;
}

/**
 * A leaf: an array of values, any of which may match (OR). An event array matches when any element
 * matches (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html). Objects
 * are not leaves: `exists` "only works on leaf nodes", so a field holding an object counts as absent
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-exists-matching).
 */
function compileLeaf(values: readonly unknown[]): NodeMatcher {
  const exactStrings = new Set<string>();
  const exactNumbers = new Set<string>();
  const exactIps: IpAddress[] = [];
  let matchNull = false;
  let matchTrue = false;
  let matchFalse = false;
  let existsTrue = false;
  let existsFalse = false;
  const tests: ValueTest[] = [];

  for (const value of values) {
    if (typeof value === 'string') {
      exactStrings.add(value);
      // Event Ruler compares a string that is an IP address as an address (so ::1 equals 0:0::1).
      const ip = parseIp(value);
      if (ip) exactIps.push(ip);
    } else if (isJsonNumber(value)) exactNumbers.add(numberText(value));
    else if (value === null) matchNull = true;
    else if (value === true) matchTrue = true;
    else if (value === false) matchFalse = true;
    else {
      const expression = value as Record<string, unknown>;
      const [operator] = Object.keys(expression);
      if (operator === 'exists') {
        if (expression.exists === true) existsTrue = true;
        else existsFalse = true;
      } else {
        tests.push(compileOperator(operator as ValueOperator, expression[operator]));
      }
    }
  }

  const hasExact = exactStrings.size > 0 || exactNumbers.size > 0 || matchNull || matchTrue || matchFalse;
  const matchScalar = (v: unknown): boolean => {
    if (hasExact) {
      if (typeof v === 'string') {
        if (exactStrings.has(v)) return true;
        if (exactIps.length > 0) {
          const ip = parseIp(v);
          if (ip && exactIps.some((e) => e.version === ip.version && e.value === ip.value)) return true;
        }
      } else if (isJsonNumber(v)) {
        if (exactNumbers.has(numberText(v))) return true;
      } else if (v === null) {
        if (matchNull) return true;
      } else if (v === true) {
        if (matchTrue) return true;
      } else if (v === false && matchFalse) return true;
    }
    for (const test of tests) if (test(v)) return true;
    return false;
  };

  return (value) => {
    if (!Array.isArray(value)) {
      if (value === undefined || isPlainObject(value)) return existsFalse;
      return existsTrue || matchScalar(value);
    }
    let present = false;
    const visit = (items: readonly unknown[]): boolean => {
      for (const item of items) {
        if (Array.isArray(item)) {
          if (visit(item)) return true;
        } else if (item !== undefined && !isPlainObject(item)) {
          present = true;
          if (existsTrue || matchScalar(item)) return true;
        }
      }
      return false;
    };
    if (visit(value)) return true;
    return !present && existsFalse;
  };
}
