import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../../core/scheduling/event-pattern.ts';
import { DOCS, RULER_EVENT, withDetail, type Case } from './fixtures.ts';

/** The user guide's examples of each operator, matching and not. */
const cases: Case[] = [
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
];

describe('compileEventPattern on the AWS documentation examples of operators', () => {
  it.each(cases)('GIVEN $name WHEN matched THEN $matches ($doc)', ({ pattern, event, matches }) => {
    expect(compileEventPattern(pattern)(event)).toBe(matches);
  });

  it('has documented cases of both outcomes', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((c) => c.matches).length).toBeGreaterThanOrEqual(12);
    expect(cases.filter((c) => !c.matches).length).toBeGreaterThanOrEqual(12);
  });
});
