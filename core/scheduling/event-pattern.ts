/**
 * The EventBridge event pattern language: validation (the patterns EventBridge refuses) and a compiled
 * matcher (compile once, match many events).
 *
 * Sources that decide behaviour:
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html (structure, exact values)
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html (every operator)
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html (arrays in events)
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html (null, "")
 * - the Event Ruler library EventBridge's matcher is built on (github.com/aws/event-ruler), for details the
 *   user guide leaves open: which match expressions are refused, array consistency, numeric limits.
 */
import { InvalidEventPatternError, type Problem } from './errors.ts';
import { cidrContains, parseCidr, parseIp, type IpAddress } from './private/ip-address.ts';
import {
  isJsonNumber,
  isPlainObject,
  JsonNumber,
  numberText,
  numberValue,
  parseJsonKeepingNumbers,
} from './private/json-number.ts';
import { wildcardProblem, wildcardToRegExp } from './private/wildcard.ts';

/** A problem EventBridge would report for a pattern, located by its path from the pattern root. */
export type PatternProblem = Problem;

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
 * Numeric matching "is limited to values between -5.0e9 and +5.0e9 inclusive, with 15 digits of precision,
 * that is to say 6 digits to the right of the decimal point" (Event Ruler README; the older user guide said
 * ±1.0e9, the current engine accepts ±5.0e9).
 */
export const NUMERIC_LIMIT = 5e9;
const NUMERIC_SCALE = 1e6;

const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
] as const;
type Operator = (typeof OPERATORS)[number];
const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);
const NUMERIC_LOWER = new Set(['>', '>=']);
const NUMERIC_UPPER = new Set(['<', '<=']);

type Path = readonly (string | number)[];
type Report = (code: string, path: Path, message: string) => void;

// ---------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------

/** Every problem EventBridge would refuse the pattern for; empty when the pattern is valid. */
export function validateEventPattern(pattern: unknown): PatternProblem[] {
  const problems: PatternProblem[] = [];
  const report: Report = (code, path, message) => problems.push({ code, path: [...path], message });
  const root = readPattern(pattern, report);
  if (root !== undefined) checkObject(root, [], false, report);
  return problems;
}

function readPattern(pattern: unknown, report: Report): Record<string, unknown> | undefined {
  let value = pattern;
  if (typeof pattern === 'string') {
    try {
      value = parseJsonKeepingNumbers(pattern);
    } catch (error) {
      report('invalid_json', [], `event pattern is not valid JSON: ${(error as Error).message}`);
      return undefined;
    }
  }
  if (!isPlainObject(value)) {
    report('not_an_object', [], `event pattern must be a JSON object, received ${describe(value)}`);
    return undefined;
  }
  return value;
}

function checkObject(node: Record<string, unknown>, path: Path, insideOr: boolean, report: Report): void {
  const keys = Object.keys(node);
  if (keys.length === 0) {
    report('empty_object', path, `${where(path)} is an empty object; EventBridge refuses empty objects`);
    return;
  }
  for (const key of keys) {
    const value = node[key];
    const at = [...path, key];
    if (key === '$or') {
      checkOr(value, at, report);
      continue;
    }
    if (insideOr && OPERATOR_SET.has(key)) {
      // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-complex-example-or
      report('operator_in_or', at, `"${key}" is an operator, not a field name, and cannot be used as a field inside $or`);
      continue;
    }
    if (Array.isArray(value)) checkLeaf(value, at, report);
    else if (isPlainObject(value)) checkObject(value, at, insideOr, report);
    else report('invalid_field_value', at, `${where(at)} must be an object or an array of values, received ${describe(value)}`);
  }
}

/** `$or` takes an array of at least two non-empty objects (Event Ruler: "There must have at least 2 Objects"). */
function checkOr(value: unknown, path: Path, report: Report): void {
  if (!Array.isArray(value)) {
    report('invalid_or', path, `$or must be an array of objects, received ${describe(value)}`);
    return;
  }
  if (value.length < 2) {
    report('invalid_or', path, `$or needs at least 2 objects, received ${value.length}`);
  }
  value.forEach((branch, i) => {
    if (isPlainObject(branch)) checkObject(branch, [...path, i], true, report);
    else report('invalid_or', [...path, i], `each $or entry must be an object, received ${describe(branch)}`);
  });
}

function checkLeaf(values: readonly unknown[], path: Path, report: Report): void {
  if (values.length === 0) {
    report('empty_array', path, `${where(path)} is an empty array; EventBridge refuses empty arrays`);
    return;
  }
  values.forEach((value, i) => {
    const at = [...path, i];
    if (typeof value === 'string' || typeof value === 'boolean' || value === null) return;
    if (isJsonNumber(value)) {
      if (!Number.isFinite(numberValue(value))) report('invalid_match_value', at, `${numberText(value)} is not a JSON number`);
      return;
    }
    if (isPlainObject(value)) {
      checkMatchExpression(value, at, report);
      return;
    }
    report('invalid_match_value', at, `a match value must be a string, number, true, false, null or an operator object, received ${describe(value)}`);
  });
}

function checkMatchExpression(expression: Record<string, unknown>, path: Path, report: Report): void {
  const keys = Object.keys(expression);
  if (keys.length === 0) {
    report('empty_object', path, `${where(path)} is an empty operator object`);
    return;
  }
  if (keys.length > 1) {
    report('too_many_keys', path, `an operator object takes exactly one operator, received ${keys.map((k) => `"${k}"`).join(', ')}`);
  }
  for (const key of keys) {
    const at = [...path, key];
    if (!OPERATOR_SET.has(key)) {
      report('unknown_operator', at, `unknown operator "${key}"; expected one of ${OPERATORS.join(', ')}`);
      continue;
    }
    checkOperator(key as Operator, expression[key], at, report);
  }
}

function checkOperator(operator: Operator, operand: unknown, path: Path, report: Report): void {
  switch (operator) {
    case 'prefix':
    case 'suffix':
      if (typeof operand === 'string') return;
      if (isPlainObject(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand) {
        if (typeof operand['equals-ignore-case'] !== 'string') {
          report('invalid_operand', [...path, 'equals-ignore-case'], `${operator} equals-ignore-case must be a string, received ${describe(operand['equals-ignore-case'])}`);
        }
        return;
      }
      report('invalid_operand', path, `${operator} must be a string or { "equals-ignore-case": string }, received ${describe(operand)}`);
      return;
    case 'equals-ignore-case':
      if (typeof operand !== 'string') report('invalid_operand', path, `equals-ignore-case must be a string, received ${describe(operand)}`);
      return;
    case 'wildcard':
      checkWildcard(operand, path, report);
      return;
    case 'exists':
      if (typeof operand !== 'boolean') report('invalid_exists', path, `exists must be true or false, received ${describe(operand)}`);
      return;
    case 'cidr':
      if (typeof operand !== 'string' || !parseCidr(operand)) {
        report('invalid_cidr', path, `cidr must be an IPv4 or IPv6 block such as "10.0.0.0/24", received ${describe(operand)}`);
      }
      return;
    case 'numeric':
      checkNumeric(operand, path, report);
      return;
    case 'anything-but':
      checkAnythingBut(operand, path, report);
      return;
  }
}

function checkWildcard(operand: unknown, path: Path, report: Report): void {
  if (typeof operand !== 'string') {
    report('invalid_operand', path, `wildcard must be a string, received ${describe(operand)}`);
    return;
  }
  const problem = wildcardProblem(operand);
  if (problem) report('invalid_wildcard', path, problem);
}

/**
 * `[op, n]` or `[lower-op, n, upper-op, m]` with lower-op in `>`/`>=` and upper-op in `<`/`<=`; `=` stands
 * alone (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#filtering-numeric-matching).
 */
function checkNumeric(operand: unknown, path: Path, report: Report): void {
  if (!Array.isArray(operand) || operand.length === 0) {
    report('invalid_numeric', path, `numeric must be an array such as [">", 0, "<=", 5], received ${describe(operand)}`);
    return;
  }
  const checkNumber = (value: unknown, i: number, operator: string): number | undefined => {
    if (!isJsonNumber(value)) {
      report('invalid_numeric', [...path, i], `numeric value after "${operator}" must be a number, received ${describe(value)}`);
      return undefined;
    }
    const n = numberValue(value);
    if (!(Math.abs(n) <= NUMERIC_LIMIT)) {
      report('number_out_of_range', [...path, i], `numeric value ${numberText(value)} is outside the range EventBridge compares (-5.0e9 to 5.0e9)`);
      return undefined;
    }
    return n;
  };
  const first = operand[0];
  if (typeof first !== 'string' || !(first === '=' || NUMERIC_LOWER.has(first) || NUMERIC_UPPER.has(first))) {
    report('invalid_numeric', [...path, 0], `unknown numeric operator ${describe(first)}; expected =, >, >=, < or <=`);
    return;
  }
  if (operand.length < 2) {
    report('invalid_numeric', path, `numeric operator "${first}" needs a value`);
    return;
  }
  const low = checkNumber(operand[1], 1, first);
  if (first === '=' || NUMERIC_UPPER.has(first)) {
    if (operand.length > 2) report('invalid_numeric', path, `numeric "${first}" takes one value; a range starts with > or >= and ends with < or <=`);
    return;
  }
  if (operand.length === 2) return;
  const second = operand[2];
  if (typeof second !== 'string' || !NUMERIC_UPPER.has(second)) {
    report('invalid_numeric', [...path, 2], `a numeric range ends with < or <=, received ${describe(second)}`);
    return;
  }
  if (operand.length !== 4) {
    report('invalid_numeric', path, `a numeric range has 4 elements [">", a, "<", b], received ${operand.length}`);
    return;
  }
  const high = checkNumber(operand[3], 3, second);
  if (low !== undefined && high !== undefined && !(low < high)) {
    report('invalid_numeric', path, `numeric range bottom ${low} must be less than top ${high}`);
  }
}

/**
 * anything-but takes a string, a number, a list of only strings or only numbers, or one of
 * `{prefix}`, `{suffix}`, `{equals-ignore-case}` (string or list), `{wildcard}` (string or list)
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-anything-but).
 */
function checkAnythingBut(operand: unknown, path: Path, report: Report): void {
  if (typeof operand === 'string') return;
  if (isJsonNumber(operand)) {
    checkAnythingButNumber(operand, path, report);
    return;
  }
  if (Array.isArray(operand)) {
    if (operand.length === 0) {
      report('empty_array', path, 'anything-but list is empty');
      return;
    }
    const strings = operand.filter((v) => typeof v === 'string').length;
    const numbers = operand.filter(isJsonNumber).length;
    if (strings + numbers !== operand.length) {
      const i = operand.findIndex((v) => typeof v !== 'string' && !isJsonNumber(v));
      report('invalid_anything_but', [...path, i], `anything-but list values must be strings or numbers, received ${describe(operand[i])}`);
    } else if (strings > 0 && numbers > 0) {
      report('invalid_anything_but', path, 'anything-but list must hold only strings or only numbers, not both');
    } else {
      operand.forEach((v, i) => isJsonNumber(v) && checkAnythingButNumber(v, [...path, i], report));
    }
    return;
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1) {
      report('invalid_anything_but', path, `anything-but object takes exactly one of prefix, suffix, equals-ignore-case, wildcard; received ${keys.length === 0 ? 'none' : keys.join(', ')}`);
      return;
    }
    const [key] = keys;
    const inner = operand[key];
    const at = [...path, key];
    switch (key) {
      case 'prefix':
      case 'suffix':
        if (typeof inner !== 'string') report('invalid_anything_but', at, `anything-but ${key} must be a string, received ${describe(inner)}`);
        else if (inner === '') report('invalid_anything_but', at, `anything-but ${key} must not be empty`);
        return;
      case 'equals-ignore-case':
        checkStringOrStrings(inner, at, 'anything-but equals-ignore-case', report);
        return;
      case 'wildcard':
        if (checkStringOrStrings(inner, at, 'anything-but wildcard', report)) {
          const list = typeof inner === 'string' ? [inner] : (inner as string[]);
          list.forEach((w, i) => {
            const problem = wildcardProblem(w);
            if (problem) report('invalid_wildcard', typeof inner === 'string' ? at : [...at, i], problem);
          });
        }
        return;
      default:
        report('invalid_anything_but', at, `unsupported anything-but operator "${key}"; expected prefix, suffix, equals-ignore-case or wildcard`);
        return;
    }
  }
  report('invalid_anything_but', path, `anything-but must be a string, a number, a list of strings or numbers, or an operator object, received ${describe(operand)}`);
}

function checkAnythingButNumber(value: number | JsonNumber, path: Path, report: Report): void {
  if (!(Math.abs(numberValue(value)) <= NUMERIC_LIMIT)) {
    report('number_out_of_range', path, `anything-but number ${numberText(value)} is outside -5.0e9 to 5.0e9`);
  }
}

function checkStringOrStrings(value: unknown, path: Path, what: string, report: Report): boolean {
  if (typeof value === 'string') return true;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return true;
  report('invalid_anything_but', path, `${what} must be a string or a non-empty list of strings, received ${describe(value)}`);
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Compilation
// ---------------------------------------------------------------------------------------------------

/**
 * Compiles a pattern into a matcher; throws `InvalidEventPatternError` (with every problem) for a pattern
 * EventBridge would refuse.
 */
export function compileEventPattern(pattern: EventPatternInput): EventMatcher {
  const problems: PatternProblem[] = [];
  const report: Report = (code, path, message) => problems.push({ code, path: [...path], message });
  const root = readPattern(pattern, report);
  if (root !== undefined) checkObject(root, [], false, report);
  if (problems.length > 0 || root === undefined) throw new InvalidEventPatternError(problems);
  const match = compileObject(root);
  return (event) => match(typeof event === 'string' ? parseJsonKeepingNumbers(event) : event);
}

/** One-off match; compile with `compileEventPattern` when the pattern is used more than once. */
export function matchesEventPattern(pattern: EventPatternInput, event: unknown): boolean {
  return compileEventPattern(pattern)(event);
}

type NodeMatcher = (value: unknown) => boolean;
type ValueTest = (value: unknown) => boolean;

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

function fieldOf(obj: unknown, key: string): unknown {
  return isPlainObject(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
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
        tests.push(compileOperator(operator as Operator, expression[operator]));
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

function compileOperator(operator: Operator, operand: unknown): ValueTest {
  switch (operator) {
    case 'prefix':
    case 'suffix': {
      const ignoreCase = isPlainObject(operand);
      const text = ignoreCase ? (operand['equals-ignore-case'] as string) : (operand as string);
      return stringTest(operator, text, ignoreCase);
    }
    case 'equals-ignore-case':
      return stringTest('equals', operand as string, true);
    case 'wildcard': {
      const re = wildcardToRegExp(operand as string);
      return (v) => typeof v === 'string' && re.test(v);
    }
    case 'cidr': {
      const block = parseCidr(operand as string)!;
      return (v) => {
        if (typeof v !== 'string') return false;
        const ip = parseIp(v);
        return ip !== undefined && cidrContains(block, ip);
      };
    }
    case 'numeric':
      return compileNumeric(operand as unknown[]);
    case 'anything-but':
      return compileAnythingBut(operand);
    case 'exists':
      throw new Error('exists is handled by the leaf');
  }
}

function stringTest(kind: 'prefix' | 'suffix' | 'equals', text: string, ignoreCase: boolean): ValueTest {
  const wanted = ignoreCase ? text.toLowerCase() : text;
  const fold = ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  if (kind === 'prefix') return (v) => typeof v === 'string' && fold(v).startsWith(wanted);
  if (kind === 'suffix') return (v) => typeof v === 'string' && fold(v).endsWith(wanted);
  return (v) => typeof v === 'string' && fold(v) === wanted;
}

/** Numbers compared to six decimal places, inside ±5.0e9; other event values never match a range. */
function quantize(n: number): number | undefined {
  return Math.abs(n) <= NUMERIC_LIMIT ? Math.round(n * NUMERIC_SCALE) : undefined;
}

function compileNumeric(operand: readonly unknown[]): ValueTest {
  const bound = (i: number) => quantize(numberValue(operand[i] as number | JsonNumber))!;
  const first = operand[0] as string;
  if (first === '=') {
    const target = bound(1);
    return (v) => isJsonNumber(v) && quantize(numberValue(v)) === target;
  }
  let low = -Infinity;
  let lowInclusive = true;
  let high = Infinity;
  let highInclusive = true;
  if (NUMERIC_LOWER.has(first)) {
    low = bound(1);
    lowInclusive = first === '>=';
    if (operand.length === 4) {
      high = bound(3);
      highInclusive = operand[2] === '<=';
    }
  } else {
    high = bound(1);
    highInclusive = first === '<=';
  }
  return (v) => {
    if (!isJsonNumber(v)) return false;
    const q = quantize(numberValue(v));
    if (q === undefined) return false;
    return (lowInclusive ? q >= low : q > low) && (highInclusive ? q <= high : q < high);
  };
}

/**
 * anything-but matches a present value that is not one of the listed ones. A value of another type is
 * "anything but" a string or number, so it matches (Event Ruler compares the JSON text: `5` is not `"5"`).
 * An absent field never matches.
 */
function compileAnythingBut(operand: unknown): ValueTest {
  if (typeof operand === 'string' || isJsonNumber(operand) || Array.isArray(operand)) {
    const list = Array.isArray(operand) ? operand : [operand];
    const strings = new Set(list.filter((v): v is string => typeof v === 'string'));
    const numbers = new Set(list.filter(isJsonNumber).map((n) => quantize(numberValue(n))));
    return (v) => {
      if (typeof v === 'string') return !strings.has(v);
      if (isJsonNumber(v)) return !numbers.has(quantize(numberValue(v)));
      return true;
    };
  }
  const object = operand as Record<string, unknown>;
  const [key] = Object.keys(object);
  const inner = object[key];
  let excluded: ValueTest;
  if (key === 'prefix' || key === 'suffix') {
    excluded = stringTest(key, inner as string, false);
  } else if (key === 'equals-ignore-case') {
    const list = (typeof inner === 'string' ? [inner] : (inner as string[])).map((s) => s.toLowerCase());
    const set = new Set(list);
    excluded = (v) => typeof v === 'string' && set.has(v.toLowerCase());
  } else {
    const patterns = (typeof inner === 'string' ? [inner] : (inner as string[])).map(wildcardToRegExp);
    excluded = (v) => typeof v === 'string' && patterns.some((re) => re.test(v));
  }
  return (v) => !excluded(v);
}

// ---------------------------------------------------------------------------------------------------

function where(path: Path): string {
  if (path.length === 0) return 'the pattern';
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `an array ${truncate(JSON.stringify(value))}`;
  if (isPlainObject(value)) return `an object ${truncate(JSON.stringify(value))}`;
  return JSON.stringify(value) ?? String(value);
}

function truncate(text: string | undefined): string {
  if (text === undefined) return '';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
