/**
 * The complexity limit on wildcards, checked per event field: every wildcard value a field is matched
 * against (in any `$or` branch, with dotted keys read as nested fields) counts together, as they share one
 * matcher (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching).
 */
import { isPlainObject } from '../private/json-number.ts';
import { WILDCARD_COMPLEXITY_LIMIT, wildcardComplexity } from '../private/wildcard-complexity.ts';
import type { Path, Report } from './report.ts';

export function checkWildcardComplexity(root: Record<string, unknown>, report: Report): void {
  const byField = new Map<string, { path: Path; values: string[] }>();
  collect(root, [], [], byField);
  for (const [field, { path, values }] of byField) {
    if (wildcardComplexity(values) >= WILDCARD_COMPLEXITY_LIMIT) {
      report(
        'wildcard_too_complex',
        path,
        `the wildcards matched against ${field} are too complex (complexity reaches the limit of ${WILDCARD_COMPLEXITY_LIMIT}); use fewer wildcard characters and fewer repeated sequences after a wildcard`,
      );
    }
  }
}

function collect(node: Record<string, unknown>, field: readonly string[], path: Path, out: Map<string, { path: Path; values: string[] }>): void {
  for (const [key, value] of Object.entries(node)) {
    if (key === '$or' && Array.isArray(value)) {
      value.forEach((branch, i) => isPlainObject(branch) && collect(branch, field, [...path, key, i], out));
      continue;
    }
    const at = [...field, ...key.split('.')];
    if (isPlainObject(value)) collect(value, at, [...path, key], out);
    else if (Array.isArray(value)) {
      for (const match of value) {
        if (!isPlainObject(match) || typeof match.wildcard !== 'string') continue;
        const name = at.join('.');
        const entry = out.get(name) ?? { path: [...path, key], values: [] };
        entry.values.push(match.wildcard);
        out.set(name, entry);
      }
    }
  }
}
