import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceSummary, ServiceView } from '../../core/contracts/service-view.ts';
import { parse, UsageError } from '../args.ts';
import type { CliIo } from '../io.ts';

const DEFAULT_URL = 'http://127.0.0.1:3000';

/** `stepflow services [<name>] [--url URL] [--data-dir DIR] [--json]`: the services of a running dev stack. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { url: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length > 1) throw new UsageError('give at most one service name');
  const api = values.url ?? apiOfStack(values['data-dir'] ?? '.stepflow') ?? DEFAULT_URL;
  const name = positionals[0];
  let response: Response;
  try {
    response = await fetch(`${api.replace(/\/+$/, '')}/services${name ? `/${encodeURIComponent(name)}` : ''}`, { signal: AbortSignal.timeout(5000) });
  } catch {
    io.err(`✖ no running dev stack at ${api} (start one with "stepflow dev")\n`);
    return 1;
  }
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) {
    io.err(`✖ ${(body.error as { message?: string } | undefined)?.message ?? `HTTP ${response.status}`}\n`);
    return 1;
  }
  if (values.json) io.out(`${JSON.stringify(body, null, 2)}\n`);
  else if (name) printService(body as unknown as ServiceView, io);
  else printServices((body as { services: ServiceSummary[] }).services, io);
  return 0;
}

const latency = (m: { p50Ms?: number; p99Ms?: number }) => (m.p50Ms === undefined ? 'no calls timed' : `p50 ≤${m.p50Ms} ms, p99 ≤${m.p99Ms} ms`);

function printServices(services: readonly ServiceSummary[], io: CliIo): void {
  if (services.length === 0) io.out('no services registered or called yet\n');
  for (const s of services) {
    io.out(`${s.name}: ${s.healthy}/${s.instances} healthy, breaker ${s.breaker}; ${s.metrics.calls} calls, ${s.metrics.errors} errors, ${latency(s.metrics)}, ${s.metrics.breakerTransitions} breaker transitions\n`);
  }
}

function printService(s: ServiceView, io: CliIo): void {
  io.out(`${s.name}: breaker ${s.breaker.state}${s.breaker.openedAt ? ` since ${s.breaker.openedAt}` : ''} (${s.breaker.failures}/${s.breaker.calls} failed in window)\n`);
  io.out(`  ${s.metrics.calls} calls, ${s.metrics.errors} errors, ${latency(s.metrics)}, ${s.metrics.breakerTransitions} breaker transitions\n`);
  if (s.instances.length === 0) io.out('  no instances known\n');
  for (const i of s.instances) {
    const state = i.expired ? 'expired' : i.healthy ? 'up' : `down (${i.consecutiveFailures} failures)`;
    io.out(`  ${i.id} ${i.url} ${state} weight ${i.weight} in flight ${i.outstanding ?? 0} [${i.source}]${i.lastHeartbeat ? ` heartbeat ${i.lastHeartbeat}` : ''}\n`);
  }
}

/** The API of the dev stack started from this folder (it writes `<data-dir>/endpoints.json`). */
function apiOfStack(dataDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as { api?: string }).api;
  } catch {
    return undefined;
  }
}
