/**
 * Event patterns and events taken from the EventBridge user guide, with the answer AWS documents for each:
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html (every operator,
 *   anything-but with prefix / suffix / equals-ignore-case / wildcard, "Wildcards and event pattern complexity")
 * - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html (structure, exact values)
 * Dotted field names follow Event Ruler, which flattens patterns and events to `detail.state` style names
 * (github.com/aws/event-ruler README, "Ruler by Example").
 */
import { DOCS, RULER_EVENT, withDetail, type Case } from './fixtures.ts';

const OPERATORS = `${DOCS}/eb-create-pattern-operators.html`;
const PATTERNS = `${DOCS}/eb-event-patterns.html`;
const RULER = 'https://github.com/aws/event-ruler#ruler-by-example';

export const DOCUMENTED_MATCHES: Case[] = [
  // anything-but, each form on the operators page
  { name: 'anything-but "initializing" refuses initializing', doc: `${OPERATORS}#eb-filtering-anything-but`, pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: withDetail({ state: 'initializing' }), matches: false },
  { name: 'anything-but "initializing" accepts running', doc: `${OPERATORS}#eb-filtering-anything-but`, pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: RULER_EVENT, matches: true },
  { name: 'anything-but 123 accepts x-limit 301.8', doc: `${OPERATORS}#eb-filtering-anything-but`, pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, event: RULER_EVENT, matches: true },
  { name: 'anything-but ["stopped","overloaded"] refuses stopped', doc: `${OPERATORS}#eb-filtering-anything-but`, pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, event: withDetail({ state: 'stopped' }), matches: false },
  { name: 'anything-but [100,200,300] refuses 200', doc: `${OPERATORS}#eb-filtering-anything-but`, pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, event: withDetail({ 'x-limit': 200 }), matches: false },
  { name: 'anything-but prefix "us-": Region us-east-1 refused', doc: `${OPERATORS}#eb-filtering-anything-but-prefix`, pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] }, event: { Region: 'us-east-1' }, matches: false },
  { name: 'anything-but prefix "us-": Region eu-west-1 accepted', doc: `${OPERATORS}#eb-filtering-anything-but-prefix`, pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] }, event: { Region: 'eu-west-1' }, matches: true },
  { name: 'anything-but prefix list refuses a value with any listed prefix', doc: `${OPERATORS}#eb-filtering-anything-but-prefix`, pattern: { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] }, event: { Region: 'eu-west-1' }, matches: false },
  { name: 'anything-but prefix list accepts a value with none of them', doc: `${OPERATORS}#eb-filtering-anything-but-prefix`, pattern: { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] }, event: { Region: 'ap-south-1' }, matches: true },
  { name: 'anything-but suffix ".png" refuses photo.png', doc: `${OPERATORS}#eb-filtering-anything-but-suffix`, pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] }, event: { FileName: 'photo.png' }, matches: false },
  { name: 'anything-but suffix list refuses any listed ending', doc: `${OPERATORS}#eb-filtering-anything-but-suffix`, pattern: { FileName: [{ 'anything-but': { suffix: ['.png', '.jpg'] } }] }, event: { FileName: 'photo.jpg' }, matches: false },
  { name: 'anything-but suffix list accepts other endings', doc: `${OPERATORS}#eb-filtering-anything-but-suffix`, pattern: { FileName: [{ 'anything-but': { suffix: ['.png', '.jpg'] } }] }, event: { FileName: 'notes.txt' }, matches: true },
  { name: 'anything-but equals-ignore-case refuses INITIALIZING', doc: `${OPERATORS}#eb-filtering-anything-but-ignore-case`, pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } }, event: withDetail({ state: 'INITIALIZING' }), matches: false },
  { name: 'anything-but equals-ignore-case list refuses Stopped', doc: `${OPERATORS}#eb-filtering-anything-but-ignore-case`, pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] } }, event: withDetail({ state: 'Stopped' }), matches: false },
  { name: 'anything-but wildcard "*/lib/*" refuses a path through /lib/', doc: `${OPERATORS}#eb-filtering-anything-but-wildcard`, pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, event: { FilePath: '/usr/lib/x.so' }, matches: false },
  { name: 'anything-but wildcard list accepts a path through neither', doc: `${OPERATORS}#eb-filtering-anything-but-wildcard`, pattern: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] }, event: { FilePath: '/home/a/doc.txt' }, matches: true },
  { name: 'anything-but wildcard list refuses a path through the second', doc: `${OPERATORS}#eb-filtering-anything-but-wildcard`, pattern: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] }, event: { FilePath: '/usr/bin/ls' }, matches: false },
  // prefix, suffix, equals-ignore-case
  { name: 'prefix "2017-10-02" matches the time', doc: `${OPERATORS}#eb-filtering-prefix-matching`, pattern: { time: [{ prefix: '2017-10-02' }] }, event: RULER_EVENT, matches: true },
  { name: 'prefix equals-ignore-case "EventB" matches EVENTBRIDGE', doc: `${OPERATORS}#eb-filtering-prefix-matching`, pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, event: withDetail({ service: 'EVENTBRIDGE' }), matches: true },
  { name: 'suffix ".png" matches image.png', doc: `${OPERATORS}#eb-filtering-suffix-matching`, pattern: { FileName: [{ suffix: '.png' }] }, event: { FileName: 'image.png' }, matches: true },
  { name: 'suffix equals-ignore-case ".png" matches IMAGE.PNG', doc: `${OPERATORS}#eb-filtering-suffix-matching`, pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, event: withDetail({ FileName: 'IMAGE.PNG' }), matches: true },
  { name: 'equals-ignore-case "alice" matches ALICE', doc: `${OPERATORS}#eb-filtering-equals-ignore-case-matching`, pattern: { detail: { name: [{ 'equals-ignore-case': 'alice' }] } }, event: withDetail({ name: 'ALICE' }), matches: true },
  // numeric, cidr, exists, empty, null
  { name: 'numeric >0 <=5 matches c-count 5', doc: `${OPERATORS}#filtering-numeric-matching`, pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, event: RULER_EVENT, matches: true },
  { name: 'numeric <10 refuses d-count 10', doc: `${OPERATORS}#filtering-numeric-matching`, pattern: { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, event: withDetail({ 'd-count': 10 }), matches: false },
  { name: 'numeric = 3.018e2 matches x-limit 301.8', doc: `${OPERATORS}#filtering-numeric-matching`, pattern: '{"detail":{"x-limit":[{"numeric":["=",3.018e2]}]}}', event: RULER_EVENT, matches: true },
  { name: 'cidr 10.0.0.0/24 matches 10.0.0.33', doc: `${OPERATORS}#eb-filtering-ip-matching`, pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, event: RULER_EVENT, matches: true },
  { name: 'cidr 10.0.0.0/24 refuses 10.0.1.1', doc: `${OPERATORS}#eb-filtering-ip-matching`, pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, event: withDetail({ 'source-ip': '10.0.1.1' }), matches: false },
  { name: 'exists true needs the field', doc: `${OPERATORS}#eb-filtering-exists-matching`, pattern: { detail: { 'c-count': [{ exists: true }] } }, event: withDetail({ state: 'x' }), matches: false },
  { name: 'exists false matches an event without it', doc: `${OPERATORS}#eb-filtering-exists-matching`, pattern: { detail: { 'c-count': [{ exists: false }] } }, event: withDetail({ state: 'x' }), matches: true },
  { name: 'an empty string matches an empty LastName', doc: `${OPERATORS}#eb-filtering-empty-value`, pattern: { detail: { LastName: [''] } }, event: withDetail({ LastName: '' }), matches: true },
  { name: 'null matches a null field', doc: `${DOCS}/eb-event-patterns-null-values.html`, pattern: { responseElements: [null] }, event: { responseElements: null }, matches: true },
  // wildcard
  { name: 'wildcard "arn:aws:events:us-east-1:*:event-bus/*" matches a bus in us-east-1', doc: `${OPERATORS}#eb-filtering-wildcard-matching`, pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, event: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' }, matches: true },
  { name: 'wildcard "/Users/*/doc.txt" refuses another file', doc: `${OPERATORS}#eb-filtering-wildcard-matching`, pattern: { FileName: [{ wildcard: '/Users/*/doc.txt' }] }, event: { FileName: '/Users/ada/notes.txt' }, matches: false },
  // $or
  { name: '$or over three numeric fields matches on the third', doc: `${OPERATORS}#eb-filtering-complex-example-or`, pattern: '{"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",3.018e2]}]}]}}', event: withDetail({ 'c-count': 9, 'd-count': 12, 'x-limit': 301.8 }), matches: true },
  { name: '$or refuses when no branch matches', doc: `${OPERATORS}#eb-filtering-complex-example-or`, pattern: { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, event: withDetail({ 'c-count': 9, 'd-count': 12 }), matches: false },
  // exact values
  { name: 'the EC2 termination pattern needs source, detail-type and state', doc: PATTERNS, pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['running'] } }, event: RULER_EVENT, matches: true },
  // dotted field names
  { name: 'a dotted pattern key matches the nested field', doc: RULER, pattern: { 'detail.state': ['running'] }, event: RULER_EVENT, matches: true },
  { name: 'a dotted pattern key refuses another value', doc: RULER, pattern: { 'detail.state': ['stopped'] }, event: RULER_EVENT, matches: false },
  { name: 'a dotted key deeper in the pattern', doc: RULER, pattern: { detail: { 'location.city': ['Paris'] } }, event: withDetail({ location: { city: 'Paris' } }), matches: true },
  { name: 'a dotted key in the event matches the nested pattern', doc: RULER, pattern: { detail: { state: ['running'] } }, event: { 'detail.state': 'running' }, matches: true },
  { name: 'dotted and nested keys are ANDed', doc: RULER, pattern: { 'detail.state': ['running'], detail: { 'c-count': [5] } }, event: RULER_EVENT, matches: true },
  { name: 'dotted and nested keys are ANDed (one fails)', doc: RULER, pattern: { 'detail.state': ['running'], detail: { 'c-count': [6] } }, event: RULER_EVENT, matches: false },
];

/** Patterns EventBridge refuses with InvalidEventPatternException, and the problem code each gives here. */
export const DOCUMENTED_REFUSALS: { name: string; doc: string; pattern: Record<string, unknown>; code: string }[] = [
  { name: 'consecutive wildcard characters', doc: `${OPERATORS}#eb-filtering-wildcard-matching`, pattern: { FileName: [{ wildcard: 'a**b' }] }, code: 'invalid_wildcard' },
  { name: 'a backslash escaping another character', doc: `${OPERATORS}#eb-filtering-wildcard-matching`, pattern: { FileName: [{ wildcard: 'a\\b' }] }, code: 'invalid_wildcard' },
  { name: 'a wildcard with a long sequence repeated after it', doc: `${OPERATORS}#eb-filtering-wildcard-matching`, pattern: { FileName: [{ wildcard: `*${'a'.repeat(120)}` }] }, code: 'wildcard_too_complex' },
  { name: 'many wildcards on one field across $or branches', doc: `${OPERATORS}#eb-filtering-wildcard-matching`, pattern: { $or: [{ 'detail.FileName': [{ wildcard: `*${'/x*'.repeat(60)}` }] }, { detail: { FileName: [{ wildcard: `*${'/x*'.repeat(60)}` }] } }] }, code: 'wildcard_too_complex' },
  { name: 'an empty anything-but prefix in a list', doc: `${OPERATORS}#eb-filtering-anything-but-prefix`, pattern: { Region: [{ 'anything-but': { prefix: ['us-', ''] } }] }, code: 'invalid_anything_but' },
  { name: 'an anything-but suffix list holding a number', doc: `${OPERATORS}#eb-filtering-anything-but-suffix`, pattern: { FileName: [{ 'anything-but': { suffix: ['.png', 5] } }] }, code: 'invalid_anything_but' },
  { name: 'a numeric range written top first', doc: `${OPERATORS}#filtering-numeric-matching`, pattern: { n: [{ numeric: ['<', 5, '>', 0] }] }, code: 'invalid_numeric' },
  { name: 'an operator as a field name inside $or', doc: `${OPERATORS}#eb-filtering-complex-example-or`, pattern: { $or: [{ numeric: [123] }, { prefix: ['abc'] }] }, code: 'operator_in_or' },
  { name: 'an empty pattern object', doc: PATTERNS, pattern: { detail: {} }, code: 'empty_object' },
];
