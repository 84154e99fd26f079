import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError } from '../../../../core/scheduling/errors.ts';
import { compileEventPattern, matchesEventPattern } from '../../../../core/scheduling/event-pattern.ts';
import { DOCS, EC2_EVENT, RULER_EVENT, withDetail, type Case } from './fixtures.ts';

/** The user guide's examples of structure: exact values, null and "", arrays, $or, and their combinations. */
const cases: Case[] = [
  // --- Structure, exact values ---------------------------------------------------------------
  {
    name: 'the EC2 termination pattern matches the terminated instance event',
    doc: `${DOCS}/eb-event-patterns.html`,
    pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } },
    event: EC2_EVENT,
    matches: true,
  },
  {
    name: 'the EC2 termination pattern does not match a running instance',
    doc: `${DOCS}/eb-event-patterns.html`,
    pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } },
    event: { ...EC2_EVENT, detail: { ...EC2_EVENT.detail, state: 'running' } },
    matches: false,
  },
  {
    name: 'a source list matches either value (aws.ec2 or aws.fargate)',
    doc: `${DOCS}/eb-event-patterns.html#eb-filtering-match-values`,
    pattern: { source: ['aws.ec2', 'aws.fargate'] },
    event: { ...EC2_EVENT, source: 'aws.fargate' },
    matches: true,
  },
  {
    name: 'a field named in the pattern must be present in the event',
    doc: `${DOCS}/eb-event-patterns.html`,
    pattern: { source: ['aws.ec2'], detail: { 'instance-type': ['t3.micro'] } },
    event: EC2_EVENT,
    matches: false,
  },
  {
    name: 'strings match character by character, without case folding',
    doc: `${DOCS}/eb-event-patterns.html`,
    pattern: { source: ['AWS.EC2'] },
    event: EC2_EVENT,
    matches: false,
  },
  {
    name: 'Macie alert: risk-score 80 and nested trigger risk 8 match',
    doc: `${DOCS}/eb-event-patterns.html#eb-filtering-value-example`,
    pattern: { source: ['aws.macie'], 'detail-type': ['Macie Alert'], detail: { 'risk-score': [80], trigger: { risk: [8] } } },
    event: { source: 'aws.macie', 'detail-type': 'Macie Alert', detail: { 'risk-score': 80, tags: ['Custom_Alert', 'Insider'], trigger: { 'alert-type': 'basic', risk: 8 } } },
    matches: true,
  },
  {
    name: 'Macie alert: a different nested risk does not match',
    doc: `${DOCS}/eb-event-patterns.html#eb-filtering-value-example`,
    pattern: { source: ['aws.macie'], 'detail-type': ['Macie Alert'], detail: { 'risk-score': [80], trigger: { risk: [8] } } },
    event: { source: 'aws.macie', 'detail-type': 'Macie Alert', detail: { 'risk-score': 80, trigger: { risk: 7 } } },
    matches: false,
  },
  {
    name: 'numbers: 300 and 300.0 are not equal in exact matching (string representation)',
    doc: `${DOCS}/eb-event-patterns.html`,
    pattern: '{ "detail": { "count": [300] } }',
    event: '{ "detail": { "count": 300.0 } }',
    matches: false,
  },
  {
    name: 'numbers: 300 and 3.0e2 are not equal in exact matching',
    doc: `${DOCS}/eb-event-patterns.html`,
    pattern: '{ "detail": { "count": [300] } }',
    event: '{ "detail": { "count": 3.0e2 } }',
    matches: false,
  },
  {
    name: 'numbers: the same spelling matches',
    doc: `${DOCS}/eb-event-patterns.html`,
    pattern: '{ "detail": { "count": [300] } }',
    event: '{ "detail": { "count": 300 } }',
    matches: true,
  },
  {
    name: 'a string "80" does not match the number 80',
    doc: `${DOCS}/eb-event-patterns.html`,
    pattern: { detail: { 'risk-score': [80] } },
    event: { detail: { 'risk-score': '80' } },
    matches: false,
  },
  // --- Null values and empty strings --------------------------------------------------------------
  {
    name: 'an empty-string pattern matches eventVersion ""',
    doc: `${DOCS}/eb-event-patterns-null-values.html`,
    pattern: { detail: { eventVersion: [''] } },
    event: { source: 'aws.autoscaling', resources: [], detail: { eventVersion: '', responseElements: null } },
    matches: true,
  },
  {
    name: 'a null pattern matches responseElements null',
    doc: `${DOCS}/eb-event-patterns-null-values.html`,
    pattern: { detail: { responseElements: [null] } },
    event: { source: 'aws.autoscaling', resources: [], detail: { eventVersion: '', responseElements: null } },
    matches: true,
  },
  {
    name: 'null and empty string are not interchangeable: [""] does not match null',
    doc: `${DOCS}/eb-event-patterns-null-values.html`,
    pattern: { detail: { responseElements: [''] } },
    event: { detail: { eventVersion: '', responseElements: null } },
    matches: false,
  },
  {
    name: 'null and empty string are not interchangeable: [null] does not match ""',
    doc: `${DOCS}/eb-event-patterns-null-values.html`,
    pattern: { detail: { eventVersion: [null] } },
    event: { detail: { eventVersion: '', responseElements: null } },
    matches: false,
  },
  // --- Arrays ----------------------------------------------------------------------------------------
  {
    name: 'an event array matches when its intersection with the pattern array is non-empty',
    doc: `${DOCS}/eb-event-patterns-arrays.html`,
    pattern: {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    event: {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    matches: true,
  },
  {
    name: 'an event array with no common value does not match',
    doc: `${DOCS}/eb-event-patterns-arrays.html`,
    pattern: { resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] },
    event: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    matches: false,
  },
  // --- $or -------------------------------------------------------------------------------------------
  {
    name: '$or: Location "New York" or Day "Monday" matches Day Monday alone',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-complex-example-or`,
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: { Location: 'Boston', Day: 'Monday' },
    matches: true,
  },
  {
    name: '$or: neither branch matches',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-complex-example-or`,
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: { Location: 'Boston', Day: 'Tuesday' },
    matches: false,
  },
  {
    name: '$or inside detail: c-count in range or x-limit equal',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-complex-example-or`,
    pattern: {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    event: withDetail({ 'c-count': 50, 'd-count': 50, 'x-limit': 301.8 }),
    matches: true,
  },
  {
    name: '$or with an AND inside a branch: source and (metricName or (metricType and namespace))',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-complex-example-or`,
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] },
        { scope: ['Service'] },
      ],
    },
    event: { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/S3' },
    matches: false,
  },
  // --- Complex ---------------------------------------------------------------------------------------
  {
    name: 'the complex example (prefix, anything-but, numeric, cidr) matches the sample event',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-complex-example`,
    pattern: {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    },
    event: RULER_EVENT,
    matches: true,
  },
  {
    name: 'the complex example fails when one condition fails (state initializing)',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-complex-example`,
    pattern: {
      time: [{ prefix: '2017-10-02' }],
      detail: { state: [{ 'anything-but': 'initializing' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
    },
    event: withDetail({ ...RULER_EVENT.detail, state: 'initializing' }),
    matches: false,
  },
];

describe('compileEventPattern on the AWS documentation examples of structure', () => {
  it.each(cases)('GIVEN $name WHEN matched THEN $matches ($doc)', ({ pattern, event, matches }) => {
    expect(compileEventPattern(pattern)(event)).toBe(matches);
  });

  it('has documented cases of both outcomes', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => c.matches).length).toBeGreaterThanOrEqual(8);
    expect(cases.filter((c) => !c.matches).length).toBeGreaterThanOrEqual(8);
  });
});

describe('compileEventPattern: arrays of objects', () => {
  // Event Ruler README "JSON Array Matching": fields in different elements of one array do not combine.
  const employees = { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] };

  it('GIVEN a field inside array elements WHEN one element matches THEN the event matches', () => {
    expect(matchesEventPattern({ employees: { firstName: ['Anna'] } }, employees)).toBe(true);
  });

  it('GIVEN two fields from different elements WHEN matched THEN the event does not match', () => {
    expect(matchesEventPattern({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, employees)).toBe(false);
  });

  it('GIVEN two fields from the same element WHEN matched THEN the event matches', () => {
    expect(matchesEventPattern({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, employees)).toBe(true);
  });
});

describe('compileEventPattern: inputs', () => {
  it('GIVEN an invalid pattern WHEN compiled THEN it throws InvalidEventPatternError with every problem', () => {
    let caught: unknown;
    try {
      compileEventPattern({ a: 'x', b: [] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidEventPatternError);
    expect((caught as InvalidEventPatternError).problems.map((p) => p.code)).toEqual(['invalid_field_value', 'empty_array']);
  });

  it('GIVEN a compiled matcher WHEN given JSON text or an object THEN both are matched', () => {
    const match = compileEventPattern({ source: ['aws.ec2'] });
    expect(match(JSON.stringify(EC2_EVENT))).toBe(true);
    expect(match(EC2_EVENT)).toBe(true);
  });
});
