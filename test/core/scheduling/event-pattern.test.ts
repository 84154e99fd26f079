import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError } from '../../../core/scheduling/errors.ts';
import {
  compileEventPattern,
  matchesEventPattern,
  validateEventPattern,
} from '../../../core/scheduling/event-pattern.ts';

const DOCS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide';

/** The EC2 event the user guide's examples are written against (eb-event-patterns.html). */
const EC2_EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

/** The Event Ruler README's sample event, used by the content-filtering examples. */
const RULER_EVENT = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

/** An event with one field changed, the rest cloned. */
function withDetail(detail: Record<string, unknown>, base: Record<string, unknown> = RULER_EVENT): Record<string, unknown> {
  return { ...structuredClone(base), detail };
}

interface Case {
  readonly name: string;
  readonly doc: string;
  readonly pattern: Record<string, unknown> | string;
  readonly event: unknown;
  readonly matches: boolean;
}

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
  // --- Prefix, suffix, equals-ignore-case ----------------------------------------------------------
  {
    name: 'prefix "2017-10-02" matches time "2017-10-02T18:43:48Z"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-prefix-matching`,
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: { time: '2017-10-02T18:43:48Z' },
    matches: true,
  },
  {
    name: 'prefix "2017-10-02" does not match another day',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-prefix-matching`,
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: { time: '2017-10-03T18:43:48Z' },
    matches: false,
  },
  {
    name: 'prefix with equals-ignore-case "EventB" matches service "eventbridge"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-prefix-matching`,
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
    event: { service: 'eventbridge' },
    matches: true,
  },
  {
    name: 'prefix with equals-ignore-case does not match "Events"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-prefix-matching`,
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
    event: { service: 'Events' },
    matches: false,
  },
  {
    name: 'suffix ".png" matches FileName "image.png"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-suffix-matching`,
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'image.png' },
    matches: true,
  },
  {
    name: 'suffix ".png" does not match "image.PNG" (case-sensitive)',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-suffix-matching`,
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'image.PNG' },
    matches: false,
  },
  {
    name: 'suffix with equals-ignore-case "tBridge" matches "EventBRIDGE"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-suffix-matching`,
    pattern: { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] },
    event: { service: 'EventBRIDGE' },
    matches: true,
  },
  {
    name: 'equals-ignore-case "alice" matches Name "Alice"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-equals-ignore-case-matching`,
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    event: { Name: 'ALICE' },
    matches: true,
  },
  {
    name: 'equals-ignore-case "alice" does not match "Alicia"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-equals-ignore-case-matching`,
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    event: { Name: 'Alicia' },
    matches: false,
  },
  {
    name: 'prefix only works on strings: a number does not match',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-prefix-matching`,
    pattern: { detail: { code: [{ prefix: '12' }] } },
    event: { detail: { code: 123 } },
    matches: false,
  },
  // --- Anything-but ---------------------------------------------------------------------------------
  {
    name: 'anything-but "initializing" matches state "running"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but`,
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: RULER_EVENT,
    matches: true,
  },
  {
    name: 'anything-but "initializing" does not match state "initializing"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but`,
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: withDetail({ state: 'initializing' }),
    matches: false,
  },
  {
    name: 'anything-but 123 matches x-limit 301.8',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but`,
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: RULER_EVENT,
    matches: true,
  },
  {
    name: 'anything-but 123 does not match x-limit 123',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but`,
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: withDetail({ 'x-limit': 123 }),
    matches: false,
  },
  {
    name: 'anything-but ["stopped","overloaded"] does not match "stopped"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but`,
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: withDetail({ state: 'stopped' }),
    matches: false,
  },
  {
    name: 'anything-but [100, 200, 300] matches x-limit 301.8',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but`,
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: RULER_EVENT,
    matches: true,
  },
  {
    name: 'anything-but [100, 200, 300] does not match 200',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but`,
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: withDetail({ 'x-limit': 200 }),
    matches: false,
  },
  {
    name: 'anything-but prefix "init" does not match "initializing"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but-prefix`,
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: withDetail({ state: 'initializing' }),
    matches: false,
  },
  {
    name: 'anything-but prefix "us-" matches region "eu-west-1"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but-prefix`,
    pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    event: { Region: 'eu-west-1' },
    matches: true,
  },
  {
    name: 'anything-but suffix ".png" does not match "photo.png"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but-suffix`,
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    event: { FileName: 'photo.png' },
    matches: false,
  },
  {
    name: 'anything-but suffix ".png" matches "notes.txt"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but-suffix`,
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    event: { FileName: 'notes.txt' },
    matches: true,
  },
  {
    name: 'anything-but equals-ignore-case "initializing" does not match "INITIALIZING"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but-ignore-case`,
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    event: { state: 'INITIALIZING' },
    matches: false,
  },
  {
    name: 'anything-but equals-ignore-case list matches a value outside it',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but-ignore-case`,
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': ['stopped', 'Overloaded'] } }] },
    event: { state: 'Running' },
    matches: true,
  },
  {
    name: 'anything-but wildcard "*/lib/*" does not match a path through /lib/',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but-wildcard`,
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    event: { FilePath: '/usr/lib/libc.so' },
    matches: false,
  },
  {
    name: 'anything-but wildcard "*/lib/*" matches a path outside /lib/',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but-wildcard`,
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    event: { FilePath: '/usr/bin/env' },
    matches: true,
  },
  {
    name: 'anything-but does not match when the field is absent',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-anything-but`,
    pattern: { Weather: [{ 'anything-but': 'Raining' }] },
    event: { Location: 'New York' },
    matches: false,
  },
  // --- Numeric ---------------------------------------------------------------------------------------
  {
    name: 'numeric c-count (0,5], d-count <10, x-limit = 3.018e2 matches the sample event',
    doc: `${DOCS}/eb-create-pattern-operators.html#filtering-numeric-matching`,
    pattern: {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    event: RULER_EVENT,
    matches: true,
  },
  {
    name: 'numeric range (0,5] does not match c-count 6',
    doc: `${DOCS}/eb-create-pattern-operators.html#filtering-numeric-matching`,
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    event: withDetail({ 'c-count': 6 }),
    matches: false,
  },
  {
    name: 'numeric range (0,5] does not match c-count 0 (open bottom)',
    doc: `${DOCS}/eb-create-pattern-operators.html#filtering-numeric-matching`,
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    event: withDetail({ 'c-count': 0 }),
    matches: false,
  },
  {
    name: 'numeric "=" compares values: 301.8 matches 3.018e2 written differently',
    doc: `${DOCS}/eb-create-pattern-operators.html#filtering-numeric-matching`,
    pattern: '{ "detail": { "x-limit": [ { "numeric": [ "=", 3.018e2 ] } ] } }',
    event: '{ "detail": { "x-limit": 301.80 } }',
    matches: true,
  },
  {
    name: 'Price more than 10 and at most 20: 20 matches',
    doc: `${DOCS}/eb-create-pattern-operators.html`,
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    event: { Price: 20 },
    matches: true,
  },
  {
    name: 'numeric only works on JSON numbers: the string "5" does not match',
    doc: `${DOCS}/eb-create-pattern-operators.html#filtering-numeric-matching`,
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0] }] } },
    event: withDetail({ 'c-count': '5' }),
    matches: false,
  },
  // --- IP address ------------------------------------------------------------------------------------
  {
    name: 'cidr 10.0.0.0/24 matches 10.0.0.33',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-ip-matching`,
    pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } },
    event: RULER_EVENT,
    matches: true,
  },
  {
    name: 'cidr 10.0.0.0/24 does not match 10.0.1.33',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-ip-matching`,
    pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } },
    event: withDetail({ 'source-ip': '10.0.1.33' }),
    matches: false,
  },
  {
    name: 'cidr works with IPv6: 2001:db8::/32 matches 2001:db8:0:1::5',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-ip-matching`,
    pattern: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] },
    event: { sourceIPAddress: '2001:db8:0:1::5' },
    matches: true,
  },
  // --- Exists ----------------------------------------------------------------------------------------
  {
    name: 'exists false matches an event without detail.c-count',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-exists-matching`,
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: { 'detail-type': 'EC2 Instance State-change Notification', detail: { state: ['initializing', 'running'] } },
    matches: true,
  },
  {
    name: 'exists false also matches when c-count is an object (not a leaf)',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-exists-matching`,
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: { detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } },
    matches: true,
  },
  {
    name: 'exists false does not match when c-count has a value',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-exists-matching`,
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: RULER_EVENT,
    matches: false,
  },
  {
    name: 'exists true matches when c-count has a value',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-exists-matching`,
    pattern: { detail: { 'c-count': [{ exists: true }] } },
    event: RULER_EVENT,
    matches: true,
  },
  {
    name: 'exists true does not match an intermediate object',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-exists-matching`,
    pattern: { detail: { 'c-count': [{ exists: true }] } },
    event: { detail: { 'c-count': { c1: 100 } } },
    matches: false,
  },
  // --- Wildcard --------------------------------------------------------------------------------------
  {
    name: 'wildcard "dir/*.png" matches "dir/image.png"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-wildcard-matching`,
    pattern: { EventBusArn: [{ wildcard: 'dir/*.png' }] },
    event: { EventBusArn: 'dir/image.png' },
    matches: true,
  },
  {
    name: 'wildcard "dir/*.png" does not match "dir/image.jpg"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-wildcard-matching`,
    pattern: { EventBusArn: [{ wildcard: 'dir/*.png' }] },
    event: { EventBusArn: 'dir/image.jpg' },
    matches: false,
  },
  {
    name: 'wildcard with several * matches an event bus ARN in any account',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-wildcard-matching`,
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    event: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' },
    matches: true,
  },
  {
    name: 'an escaped \\* matches only a literal asterisk',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-wildcard-matching`,
    pattern: { name: [{ wildcard: 'a\\*b' }] },
    event: { name: 'aXb' },
    matches: false,
  },
  {
    name: 'an escaped \\* matches the literal "a*b"',
    doc: `${DOCS}/eb-create-pattern-operators.html#eb-filtering-wildcard-matching`,
    pattern: { name: [{ wildcard: 'a\\*b' }] },
    event: { name: 'a*b' },
    matches: true,
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

describe('compileEventPattern on the AWS documentation examples', () => {
  it.each(cases)('GIVEN $name WHEN matched THEN $matches ($doc)', ({ pattern, event, matches }) => {
    expect(compileEventPattern(pattern)(event)).toBe(matches);
  });

  it('has at least 40 documented cases, matching and non-matching', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(cases.filter((c) => c.matches).length).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => !c.matches).length).toBeGreaterThanOrEqual(15);
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
