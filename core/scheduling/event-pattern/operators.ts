/**
 * The operators of a match expression (`{ "prefix": "..." }`, `{ "numeric": [...] }`, ...): what each
 * accepts (the ones EventBridge refuses are reported) and how each tests a value.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
import { cidrContains, parseCidr, parseIp } from '../private/ip-address.ts';
import { isJsonNumber, isPlainObject, JsonNumber, numberText, numberValue } from '../private/json-number.ts';
import { wildcardProblem, wildcardToRegExp } from '../private/wildcard.ts';
import { describe, type Path, type Report } from './report.ts';

/**
 * Numeric matching "is limited to values between -5.0e9 and +5.0e9 inclusive, with 15 digits of precision,
 * that is to say 6 digits to the right of the decimal point" (Event Ruler README; the older user guide said
 * ±1.0e9, the current engine accepts ±5.0e9).
 */
export const NUMERIC_LIMIT = 5e9;
const NUMERIC_SCALE = 1e6;

export const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
] as const;
export type Operator = (typeof OPERATORS)[number];
const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);
const NUMERIC_LOWER = new Set(['>', '>=']);
const NUMERIC_UPPER = new Set(['<', '<=']);

/** Whether a key of a match expression (or a field name inside `$or`) is an operator. */
export function isOperator(key: string): key is Operator {
  return OPERATOR_SET.has(key);
}

/** A test of one scalar value of the event. */
export type ValueTest = (value: unknown) => boolean;

// Checking an operand

/** Reports what EventBridge would refuse in one operator's operand. */
export function checkOperator(operator: Operator, operand: unknown, path: Path, report: Report): void {
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
 * `{prefix}`, `{suffix}`, `{equals-ignore-case}`, `{wildcard}`, each a string or a list of strings
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
        // A string or a list of strings ({"anything-but": {"prefix": ["a", "b"]}}); none may be empty.
        if (checkStringOrStrings(inner, at, `anything-but ${key}`, report)) {
          const list = typeof inner === 'string' ? [inner] : (inner as string[]);
          list.forEach((text, i) => {
            if (text === '') report('invalid_anything_but', typeof inner === 'string' ? at : [...at, i], `anything-but ${key} must not be empty`);
          });
        }
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

// Testing values

/** The operators that test a value; `exists` looks at presence instead, so the leaf handles it. */
export type ValueOperator = Exclude<Operator, 'exists'>;

/** The test of a valid operator. */
export function compileOperator(operator: ValueOperator, operand: unknown): ValueTest {
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
    const tests = (typeof inner === 'string' ? [inner] : (inner as string[])).map((text) => stringTest(key, text, false));
    excluded = (v) => tests.some((test) => test(v));
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
