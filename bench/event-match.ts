/**
 * Event pattern matching throughput: 100 rules of mixed operators (exact, prefix, suffix, equals-ignore-case,
 * wildcard, anything-but, numeric, exists, cidr, $or) against a generated stream of events, every rule
 * tried on every event, as the offline event bus does. Run alone: `npx tsx bench/event-match.ts`.
 */
import { pathToFileURL } from 'node:url';
import { compileEventPattern, type EventMatcher } from '../core/scheduling/event-pattern.ts';

export interface EventMatchFigures {
  readonly rules: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  /** Average number of rules matching one event: shows the workload is not all misses. */
  readonly matchesPerEvent: number;
}

const SOURCES = ['aws.ec2', 'aws.s3', 'orders', 'payments', 'stepflow.workflows'];
const STATES = ['pending', 'running', 'stopped', 'terminated', 'initializing'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const EXTENSIONS = ['.png', '.jpg', '.csv', '.json'];

/** Deterministic pseudo-random numbers (mulberry32), so every run matches the same stream. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)];
}

function rulePattern(i: number): Record<string, unknown> {
  const source = SOURCES[i % SOURCES.length];
  const state = STATES[i % STATES.length];
  const region = REGIONS[i % REGIONS.length];
  switch (i % 10) {
    case 0:
      return { source: [source], detail: { state: [state] } };
    case 1:
      return { source: [source], region: [{ prefix: region.slice(0, 3) }] };
    case 2:
      return { detail: { key: [{ suffix: EXTENSIONS[i % EXTENSIONS.length] }] } };
    case 3:
      return { 'detail-type': [{ 'equals-ignore-case': `ORDER ${state.toUpperCase()}` }] };
    case 4:
      return { detail: { key: [{ wildcard: `uploads/*/${i % 7}*` }] } };
    case 5:
      return { source: [source], detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } };
    case 6:
      return { detail: { amount: [{ numeric: ['>', i, '<=', i * 10] }] } };
    case 7:
      return { detail: { customer: { vip: [{ exists: true }] }, amount: [{ numeric: ['>=', 500] }] } };
    case 8:
      return { detail: { 'source-ip': [{ cidr: `10.${i % 4}.0.0/16` }] } };
    default:
      return { source: [source], $or: [{ detail: { state: [state] } }, { region: [region] }] };
  }
}

function makeEvent(next: () => number, i: number): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    state: pick(next, STATES),
    key: `uploads/${Math.floor(next() * 50)}/${Math.floor(next() * 10)}-${i}${pick(next, EXTENSIONS)}`,
    amount: Math.round(next() * 1000 * 100) / 100,
    'source-ip': `10.${Math.floor(next() * 6)}.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}`,
    customer: next() < 0.2 ? { id: `c-${i}`, vip: true } : { id: `c-${i}` },
    items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }],
  };
  return {
    version: '0',
    id: `event-${i}`,
    'detail-type': `Order ${pick(next, STATES)}`,
    source: pick(next, SOURCES),
    account: '111122223333',
    time: '2026-01-01T00:00:00Z',
    region: pick(next, REGIONS),
    resources: [],
    detail,
  };
}

export async function eventMatchBench(): Promise<EventMatchFigures> {
  const rules: EventMatcher[] = Array.from({ length: 100 }, (_, i) => compileEventPattern(rulePattern(i)));
  const next = random(42);
  const stream = Array.from({ length: 2_000 }, (_, i) => makeEvent(next, i));

  // Warm up so the JIT has compiled the matchers before timing.
  for (const event of stream) for (const rule of rules) rule(event);

  let events = 0;
  let matches = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < 1_000) {
    for (const event of stream) {
      for (const rule of rules) if (rule(event)) matches++;
    }
    events += stream.length;
    elapsed = performance.now() - started;
  }
  return {
    rules: rules.length,
    events,
    eventsPerSecond: Math.round(events / (elapsed / 1000)),
    matchesPerEvent: Math.round((matches / events) * 100) / 100,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await eventMatchBench()));
}
