import { describe, expect, it } from 'vitest';
import { validateEventPattern } from '../../../../core/scheduling/event-pattern.ts';

describe('validateEventPattern: patterns EventBridge refuses', () => {
  const refused: { name: string; pattern: unknown; code: string; path: (string | number)[] }[] = [
    { name: 'a pattern that is not an object', pattern: ['aws.ec2'], code: 'not_an_object', path: [] },
    { name: 'text that is not JSON', pattern: '{ "source": [', code: 'invalid_json', path: [] },
    { name: 'an empty pattern', pattern: {}, code: 'empty_object', path: [] },
    { name: 'a leaf value that is not an array', pattern: { source: 'aws.ec2' }, code: 'invalid_field_value', path: ['source'] },
    { name: 'an empty array', pattern: { source: [] }, code: 'empty_array', path: ['source'] },
    { name: 'a nested array as a match value', pattern: { source: [['aws.ec2']] }, code: 'invalid_match_value', path: ['source', 0] },
    { name: 'an unknown operator', pattern: { source: [{ contains: 'ec2' }] }, code: 'unknown_operator', path: ['source', 0, 'contains'] },
    { name: 'two operators in one object', pattern: { source: [{ prefix: 'a', suffix: 'b' }] }, code: 'too_many_keys', path: ['source', 0] },
    { name: 'a prefix that is not a string', pattern: { source: [{ prefix: 5 }] }, code: 'invalid_operand', path: ['source', 0, 'prefix'] },
    { name: 'exists that is not a boolean', pattern: { a: [{ exists: 'yes' }] }, code: 'invalid_exists', path: ['a', 0, 'exists'] },
    { name: 'an unknown numeric operator', pattern: { a: [{ numeric: ['!=', 5] }] }, code: 'invalid_numeric', path: ['a', 0, 'numeric', 0] },
    { name: 'a numeric range in the wrong order', pattern: { a: [{ numeric: ['<', 5, '>', 1] }] }, code: 'invalid_numeric', path: ['a', 0, 'numeric'] },
    { name: 'a numeric range whose bottom is above its top', pattern: { a: [{ numeric: ['>', 10, '<', 5] }] }, code: 'invalid_numeric', path: ['a', 0, 'numeric'] },
    { name: 'a numeric value that is a string', pattern: { a: [{ numeric: ['>', '5'] }] }, code: 'invalid_numeric', path: ['a', 0, 'numeric', 1] },
    { name: 'a numeric value beyond 5.0e9', pattern: { a: [{ numeric: ['<', 6e9] }] }, code: 'number_out_of_range', path: ['a', 0, 'numeric', 1] },
    { name: 'anything-but with a mixed list', pattern: { a: [{ 'anything-but': ['x', 1] }] }, code: 'invalid_anything_but', path: ['a', 0, 'anything-but'] },
    { name: 'anything-but with null', pattern: { a: [{ 'anything-but': null }] }, code: 'invalid_anything_but', path: ['a', 0, 'anything-but'] },
    { name: 'anything-but with an unsupported operator', pattern: { a: [{ 'anything-but': { numeric: ['>', 1] } }] }, code: 'invalid_anything_but', path: ['a', 0, 'anything-but', 'numeric'] },
    { name: 'anything-but with an empty prefix', pattern: { a: [{ 'anything-but': { prefix: '' } }] }, code: 'invalid_anything_but', path: ['a', 0, 'anything-but', 'prefix'] },
    { name: 'a wildcard with consecutive **', pattern: { a: [{ wildcard: 'a**b' }] }, code: 'invalid_wildcard', path: ['a', 0, 'wildcard'] },
    { name: 'a wildcard escaping another character', pattern: { a: [{ wildcard: 'a\\b' }] }, code: 'invalid_wildcard', path: ['a', 0, 'wildcard'] },
    { name: 'a cidr without a prefix length', pattern: { a: [{ cidr: '10.0.0.1' }] }, code: 'invalid_cidr', path: ['a', 0, 'cidr'] },
    { name: 'a cidr with a bad prefix length', pattern: { a: [{ cidr: '10.0.0.0/33' }] }, code: 'invalid_cidr', path: ['a', 0, 'cidr'] },
    { name: '$or that is not an array', pattern: { $or: { a: ['x'] } }, code: 'invalid_or', path: ['$or'] },
    { name: '$or with one branch', pattern: { $or: [{ a: ['x'] }] }, code: 'invalid_or', path: ['$or'] },
    { name: '$or with a non-object branch', pattern: { $or: [{ a: ['x'] }, ['b']] }, code: 'invalid_or', path: ['$or', 1] },
    { name: 'an operator used as a field name inside $or', pattern: { $or: [{ numeric: [123] }, { prefix: ['abc'] }] }, code: 'operator_in_or', path: ['$or', 0, 'numeric'] },
  ];

  it.each(refused)('GIVEN $name WHEN validated THEN it reports $code', ({ pattern, code, path }) => {
    const problems = validateEventPattern(pattern);
    expect(problems.map((p) => ({ code: p.code, path: p.path }))).toContainEqual({ code, path });
  });

  it('GIVEN several problems WHEN validated THEN every one is reported, each naming the value received', () => {
    const problems = validateEventPattern({ source: 'aws.ec2', detail: { state: [], n: [{ numeric: ['>', 'x'] }] } });
    expect(problems).toEqual([
      { code: 'invalid_field_value', path: ['source'], message: 'source must be an object or an array of values, received "aws.ec2"' },
      { code: 'empty_array', path: ['detail', 'state'], message: 'detail.state is an empty array; EventBridge refuses empty arrays' },
      { code: 'invalid_numeric', path: ['detail', 'n', 0, 'numeric', 1], message: 'numeric value after ">" must be a number, received "x"' },
    ]);
  });

  it('GIVEN every documented operator WHEN validated THEN no problem is reported', () => {
    expect(
      validateEventPattern({
        a: ['x', 1, true, false, null, { prefix: 'p' }, { suffix: 's' }, { 'equals-ignore-case': 'e' }, { wildcard: 'w*' }],
        b: [{ prefix: { 'equals-ignore-case': 'p' } }, { suffix: { 'equals-ignore-case': 's' } }],
        c: [{ 'anything-but': 'x' }, { 'anything-but': [1, 2] }, { 'anything-but': { prefix: 'p' } }, { 'anything-but': { suffix: 's' } }],
        d: [{ 'anything-but': { 'equals-ignore-case': ['a', 'b'] } }, { 'anything-but': { wildcard: '*/lib/*' } }],
        e: [{ numeric: ['>=', 0, '<', 5] }, { numeric: ['=', 3.018e2] }, { exists: true }, { cidr: '2001:db8::/32' }],
        $or: [{ f: ['x'] }, { g: { h: [{ exists: false }] } }],
      }),
    ).toEqual([]);
  });
});
