import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../../core/definition/model.ts';
import { normaliseServiceOrchestration, type ServiceOrchestrationSpec } from '../../../core/definition/orchestration-model.ts';
import { MemoryOrchestrationStore } from '../../../functions/orchestration/memory-orchestration-store.ts';
import { ServiceOrchestrationRuntime } from '../../../functions/orchestration/orchestrator.ts';
import { createServiceInvoker } from '../../../functions/service-invoker/handler.ts';
import type { ConsulHealthEntry } from '../../../functions/orchestration/discovery.ts';
import { startInstance, type ServiceInstance } from '../../support/service-instances.ts';

const service = (name: string, spec: ServiceOrchestrationSpec): ServiceDefinition => ({
  name, method: 'POST', headers: {}, timeoutSeconds: 5, orchestration: normaliseServiceOrchestration(name, spec),
});

let a: ServiceInstance, b: ServiceInstance, c: ServiceInstance;
beforeAll(async () => {
  [a, b, c] = await Promise.all([startInstance('a', { price: 10 }), startInstance('b', { stock: 3 }), startInstance('c', { eta: '2d' })]);
});
afterAll(async () => {
  await Promise.all([a, b, c].map((i) => i.kill()));
});

const definitions = () => ({
  a: service('a', { discovery: 'static', instances: [a.url] }),
  b: service('b', { discovery: 'static', instances: [b.url] }),
  c: service('c', { discovery: 'static', instances: [c.url] }),
});

/** A task event as the compiled state sends it to the invoker. */
function event(strategy: string, quorum: number) {
  const defs = definitions();
  return {
    task: 'gather', workflow: 'wf', execution: 'arn:exec', attempt: 0, input: {}, results: {},
    service: { name: 'a', definition: defs.a },
    related: { b: defs.b, c: defs.c },
    aggregate: { strategy, quorum, services: ['a', 'b', 'c'] },
  };
}

describe('aggregating service tasks (one failing service)', () => {
  const invoke = createServiceInvoker({ orchestration: new ServiceOrchestrationRuntime({ store: new MemoryOrchestrationStore(), env: {}, failoverDelayMs: 0 }) });

  it('merge fails, naming the failing service', async () => {
    b.mode = 'fail';
    await expect(invoke(event('merge', 3))).rejects.toMatchObject({ name: 'ServiceUnavailable', message: expect.stringContaining('b: ServiceUnavailable') });
    b.mode = 'ok';
    await expect(invoke(event('merge', 3))).resolves.toMatchObject({ strategy: 'merge', result: { instance: 'c', price: 10, stock: 3, eta: '2d' }, failures: {} });
  });

  it('all reports every answer and the partial failure', async () => {
    b.mode = 'fail';
    const out = (await invoke(event('all', 3))) as { result: Record<string, unknown>; failures: Record<string, { error: string }> };
    b.mode = 'ok';
    expect(Object.keys(out.result).sort()).toEqual(['a', 'c']);
    expect(out.failures).toEqual({ b: { error: 'ServiceUnavailable', message: expect.stringContaining('answered 500') } });
  });

  it('first_success answers with the fastest success, ignoring the failure', async () => {
    a.mode = 'fail';
    c.delayMs = 300;
    const out = (await invoke(event('first_success', 1))) as { result: { instance: string } };
    a.mode = 'ok';
    c.delayMs = 0;
    expect(out.result.instance).toBe('b');
  });

  it('quorum 2 of 3 succeeds with one failing, and fails when two fail', async () => {
    c.mode = 'fail';
    const out = (await invoke(event('quorum', 2))) as { results: Record<string, unknown>; failures: Record<string, unknown> };
    expect(Object.keys(out.results).sort()).toEqual(['a', 'b']);
    b.mode = 'reject';
    await expect(invoke(event('quorum', 2))).rejects.toMatchObject({ name: 'ServiceUnavailable', message: expect.stringContaining('needed 2 answer(s), got 1') });
    b.mode = 'ok';
    c.mode = 'ok';
  });
});

describe('Consul discovery', () => {
  let consul: Server;
  let consulUrl: string;
  let entries: ConsulHealthEntry[];
  let asked: string[] = [];
  beforeAll(async () => {
    // Consul's documented /v1/health/service/<name> answer (https://developer.hashicorp.com/consul/api-docs/health).
    consul = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url?.startsWith('/v1/health/service/inventory?passing') ? entries : []));
    });
    await new Promise<void>((r) => consul.listen(0, '127.0.0.1', r));
    consulUrl = `http://127.0.0.1:${(consul.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => consul.close(() => r())));

  it('calls the passing instances Consul lists, cached for refresh_interval', async () => {
    const entry = (id: string, port: number): ConsulHealthEntry => ({
      Node: { Node: 'node-1', Address: '127.0.0.1' },
      Service: { ID: id, Service: 'inventory', Address: '', Port: port, Meta: { path: '/call' }, Weights: { Passing: 1, Warning: 1 } },
      Checks: [{ Status: 'passing' }],
    });
    entries = [entry('inv-a', a.port), entry('inv-b', b.port)];
    let now = 0;
    const runtime = new ServiceOrchestrationRuntime({ store: new MemoryOrchestrationStore(), env: {}, now: () => now });
    const def = service('inventory', { discovery: 'consul', consul: { address: consulUrl } });
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push(((await runtime.call({ name: 'inventory', definition: def }, {})) as { instance: string }).instance);
    expect(seen).toEqual(['a', 'b', 'a', 'b']);
    expect(asked).toEqual(['/v1/health/service/inventory?passing']);
    entries = [entry('inv-c', c.port)];
    now += 30_000; // refresh_interval default
    expect(((await runtime.call({ name: 'inventory', definition: def }, {})) as { instance: string }).instance).toBe('c');
    expect(asked).toHaveLength(2);
  });
});
