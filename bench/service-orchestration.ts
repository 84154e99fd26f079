/**
 * Service orchestration overheads, against real HTTP services on 127.0.0.1:
 * - orchestratorOverhead: latency of a call through the orchestrator (discovery, round robin, health,
 *   metrics, and a circuit breaker) ÷ a direct HTTP call to the same service, at p50 and p99; with the
 *   state in memory (`stepflow run`) and in DynamoDB (dynalite, as the dev stack keeps it). Goal ≤ 1.2 at p50.
 *   The state is cached and outcomes batched (flushed every second), as an invoker between invocations.
 * - aggregation: latency of a 5-service scatter-gather ÷ the slowest service called alone. Goal ≤ 1.1.
 * Size: STEPFLOW_BENCH_SERVICE_CALLS calls (default 2000) and STEPFLOW_BENCH_AGGREGATION_ROUNDS rounds
 * (default 30). Run alone: `npx tsx bench/service-orchestration.ts`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { ServiceDefinition } from '../core/definition/model.ts';
import { normaliseServiceOrchestration, type ServiceOrchestrationSpec } from '../core/definition/orchestration-model.ts';
import { scatterGather } from '../functions/orchestration/aggregate.ts';
import { DynamoDbOrchestrationStore } from '../functions/orchestration/dynamodb-orchestration-store.ts';
import { MemoryOrchestrationStore } from '../functions/orchestration/memory-orchestration-store.ts';
import { ServiceOrchestrationRuntime } from '../functions/orchestration/orchestrator.ts';
import type { OrchestrationStore } from '../functions/orchestration/records.ts';
import { callHttp } from '../functions/service-invoker/http-call.ts';
import { createAwsClients } from '../functions/shared/clients.ts';
import { createTableInput } from '../functions/shared/table-schema.ts';
import { startDynamoDb } from '../local/emulators/dynamodb/dynamodb-server.ts';

interface Ratio {
  readonly directP50Ms: number;
  readonly directP99Ms: number;
  readonly orchestratedP50Ms: number;
  readonly orchestratedP99Ms: number;
  readonly p50Ratio: number;
  readonly p99Ratio: number;
}

export interface OrchestratorOverheadFigures {
  readonly calls: number;
  readonly memoryStore: Ratio;
  readonly dynamoStore: Ratio;
}

export interface AggregationFigures {
  readonly rounds: number;
  readonly serviceDelaysMs: readonly number[];
  readonly slowestAloneP50Ms: number;
  readonly scatterGatherP50Ms: number;
  readonly ratio: number;
}

async function startService(delayMs = 0): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/call`, server };
}

const definition = (name: string, spec: ServiceOrchestrationSpec): ServiceDefinition => ({
  name, method: 'POST', headers: {}, timeoutSeconds: 10, orchestration: normaliseServiceOrchestration(name, spec),
});

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

async function measure(store: OrchestrationStore, url: string, calls: number): Promise<Ratio> {
  const runtime = new ServiceOrchestrationRuntime({ store, env: {} });
  const def = definition('bench', { discovery: 'static', instances: [url], circuit_breaker: { minimum_calls: 1000 } });
  const direct = () => callHttp({ url, method: 'POST', headers: {}, body: {}, timeoutMs: 10_000, label: 'bench' });
  const through = () => runtime.call({ name: 'bench', definition: def }, {});
  for (let i = 0; i < Math.min(200, calls); i++) {
    await direct();
    await through();
  }
  const directMs: number[] = [];
  const orchestratedMs: number[] = [];
  // Interleaved, so both see the same machine load.
  for (let i = 0; i < calls; i++) {
    let t = performance.now();
    await direct();
    directMs.push(performance.now() - t);
    t = performance.now();
    await through();
    orchestratedMs.push(performance.now() - t);
  }
  await runtime.flush(); // the batched outcomes, as the invoker writes them at the end of an invocation
  const [d50, d99, o50, o99] = [quantile(directMs, 0.5), quantile(directMs, 0.99), quantile(orchestratedMs, 0.5), quantile(orchestratedMs, 0.99)];
  return { directP50Ms: round(d50), directP99Ms: round(d99), orchestratedP50Ms: round(o50), orchestratedP99Ms: round(o99), p50Ratio: round(o50 / d50), p99Ratio: round(o99 / d99) };
}

export async function orchestratorOverheadBench(calls = Number(process.env.STEPFLOW_BENCH_SERVICE_CALLS) || 2000): Promise<OrchestratorOverheadFigures> {
  const service = await startService();
  const dynamo = await startDynamoDb({ tables: [createTableInput('bench')] });
  try {
    const memoryStore = await measure(new MemoryOrchestrationStore(), service.url, calls);
    const client = createAwsClients({ region: 'us-east-1', endpoints: { dynamodb: dynamo.url }, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }).dynamo;
    const dynamoStore = await measure(new DynamoDbOrchestrationStore({ client, tableName: 'bench' }), service.url, calls);
    return { calls, memoryStore, dynamoStore };
  } finally {
    await dynamo.close();
    service.server.close();
  }
}

export async function aggregationBench(rounds = Number(process.env.STEPFLOW_BENCH_AGGREGATION_ROUNDS) || 30): Promise<AggregationFigures> {
  const delays = [10, 20, 30, 40, 50];
  const services = await Promise.all(delays.map((d) => startService(d)));
  try {
    const definitions = Object.fromEntries(services.map((s, i) => [`s${i}`, definition(`s${i}`, { discovery: 'static', instances: [s.url] })]));
    const runtime = new ServiceOrchestrationRuntime({ store: new MemoryOrchestrationStore(), env: {} });
    const slowest = services.at(-1)!.url;
    const alone: number[] = [];
    const gathered: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      await callHttp({ url: slowest, method: 'POST', headers: {}, body: {}, timeoutMs: 10_000, label: 'slowest' });
      alone.push(performance.now() - t);
      t = performance.now();
      await scatterGather(runtime, { strategy: 'all', quorum: 1, services: Object.keys(definitions) }, definitions, {});
      gathered.push(performance.now() - t);
    }
    const [a50, g50] = [quantile(alone, 0.5), quantile(gathered, 0.5)];
    return { rounds, serviceDelaysMs: delays, slowestAloneP50Ms: round(a50), scatterGatherP50Ms: round(g50), ratio: round(g50 / a50) };
  } finally {
    for (const s of services) s.server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify({ orchestratorOverhead: await orchestratorOverheadBench(), aggregation: await aggregationBench() }));
}
