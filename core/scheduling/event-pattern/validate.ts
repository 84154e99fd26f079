/**
 * Validation of an event pattern's structure: objects, leaves (arrays of values), `$or`; each operator's
 * operand is checked by operators.ts.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
import type { Problem } from '../errors.ts';
import { isJsonNumber, isPlainObject, numberText, numberValue, parseJsonKeepingNumbers } from '../private/json-number.ts';
import { checkOperator, isOperator, OPERATORS } from './operators.ts';
import { describe, where, type Path, type Report } from './report.ts';
import { checkWildcardComplexity } from './wildcard-limits.ts';

/** A problem EventBridge would report for a pattern, located by its path from the pattern root. */
export type PatternProblem = Problem;

/** Every problem EventBridge would refuse the pattern for; empty when the pattern is valid. */
export function validateEventPattern(pattern: unknown): PatternProblem[] {
  return checkEventPattern(pattern).problems;
}

/**
 * The pattern read (JSON text keeps its number spellings) and every problem in it; `root` is undefined
 * when the pattern is not a JSON object at all.
 */
export function checkEventPattern(pattern: unknown): { readonly root?: Record<string, unknown>; readonly problems: PatternProblem[] } {
  const problems: PatternProblem[] = [];
  const report: Report = (code, path, message) => problems.push({ code, path: [...path], message });
  const root = readPattern(pattern, report);
  if (root !== undefined) checkObject(root, [], false, report);
  // Complexity is measured on a pattern that is otherwise valid, as its wildcards are then well formed.
  if (root !== undefined && problems.length === 0) checkWildcardComplexity(root, report);
  return { root, problems };
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
    if (insideOr && isOperator(key)) {
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
    if (!isOperator(key)) {
      report('unknown_operator', at, `unknown operator "${key}"; expected one of ${OPERATORS.join(', ')}`);
      continue;
    }
    checkOperator(key, expression[key], at, report);
  }
}
