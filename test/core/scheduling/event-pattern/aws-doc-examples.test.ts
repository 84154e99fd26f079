import { describe, expect, it } from 'vitest';
import { compileEventPattern, validateEventPattern } from '../../../../core/scheduling/event-pattern.ts';
import { WILDCARD_COMPLEXITY_LIMIT, wildcardComplexity } from '../../../../core/scheduling/private/wildcard-complexity.ts';
import { DOCUMENTED_MATCHES, DOCUMENTED_REFUSALS } from './aws-doc-examples.ts';

describe('the user guide examples answer as AWS documents', () => {
  it.each(DOCUMENTED_MATCHES)('$name', ({ pattern, event, matches }) => {
    expect(validateEventPattern(pattern)).toEqual([]);
    expect(compileEventPattern(pattern)(event)).toBe(matches);
  });
});

describe('patterns EventBridge refuses', () => {
  it.each(DOCUMENTED_REFUSALS)('$name', ({ pattern, code }) => {
    expect(validateEventPattern(pattern).map((p) => p.code)).toContain(code);
    expect(() => compileEventPattern(pattern)).toThrow(/pattern/i);
  });
});

describe('wildcard complexity', () => {
  it('counts one position for a wildcard-free value and grows with repeats after a wildcard', () => {
    expect(wildcardComplexity(['abc'])).toBe(1);
    expect(wildcardComplexity(['*/doc.txt'])).toBeLessThan(wildcardComplexity(['*/dir/dir/dir/dir/dir/doc.txt']));
  });

  it('adds up the values matched against the same field', () => {
    const one = wildcardComplexity(['*a*']);
    expect(wildcardComplexity(['*a*', '*a*b'])).toBeGreaterThan(one);
  });

  it('accepts the documented advice patterns and caps at the limit', () => {
    expect(wildcardComplexity(['arn:aws:events:us-east-1:*:event-bus/*'])).toBeLessThan(WILDCARD_COMPLEXITY_LIMIT);
    expect(wildcardComplexity(['*:*:*:*:*:event-bus/*'])).toBeLessThan(WILDCARD_COMPLEXITY_LIMIT);
    expect(wildcardComplexity([`*${'a'.repeat(500)}`])).toBe(WILDCARD_COMPLEXITY_LIMIT);
  });
});
