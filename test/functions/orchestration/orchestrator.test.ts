import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../../core/definition/model.ts';
import { normaliseServiceOrchestration, type ServiceOrchestrationSpec } from '../../../core/definition/orchestration-model.ts';
import { MemoryOrchestrationStore } from '../../../functions/orchestration/memory-orchestration-store.ts';
import { ServiceOrchestrationRuntime } from '../../../functions/orchestration/orchestrator.ts';
import { startInstances, type ServiceInstance } from '../../support/service-instances.ts';

const service = (name: string, spec: ServiceOrchestrationSpec, timeoutSeconds = 5): ServiceDefinition => ({
  name, method: 'POST', headers: {}, timeoutSeconds, orchestration: normaliseServiceOrchestration(name, spec),
});

let running: ServiceInstance[] = [];
afterEach(async () => {
  await Promise.all(running.map((i) => i.kill()));
  running = [];
});

describe('ServiceOrchestrationRuntime over real HTTP instances', () => {
  it('round robin visits 3 instances in exact order', async () => {
    running = await startInstances(['a', 'b', 'c']);
    const [a, b, c] = running;
    const runtime = new ServiceOrchestrationRuntime({ store: new MemoryOrchestrationStore(), env: {} });
    // Instance ids are the URLs; order is by id, so sort the expectation the same way.
    const order = [a, b, c].sort((x, y) => (x.url < y.url ? -1 : 1)).map((i) => i.name);
    const def = service('rr', { discovery: 'static', instances: [c.url, a.url, b.url] });
    const seen: string[] = [];
    for (let i = 0; i < 9; i++) seen.push(((await runtime.call({ name: 'rr', definition: def }, {})) as { instance: string }).instance);
    expect(seen).toEqual([...order, ...order, ...order]);
  });

  it('ends an attempt on a hung instance at the service timeout and fails over to the next', async () => {
    running = await startInstances(['hung', 'ready']);
    const [hung, ready] = running;
    hung.delayMs = 10_000;
    const runtime = new ServiceOrchestrationRuntime({ store: new MemoryOrchestrationStore(), env: {} });
    const def = service('to', { discovery: 'static', instances: [hung.url, ready.url] }, 0.3);
    // Round robin: one of two calls starts on the hung instance.
    for (let i = 0; i < 2; i++) expect(((await runtime.call({ name: 'to', definition: def }, {})) as { instance: string }).instance).toBe('ready');
    expect(hung.hits).toBeGreaterThanOrEqual(1);
    const alone = service('to-alone', { discovery: 'static', instances: [hung.url] }, 0.3);
    await expect(runtime.call({ name: 'to-alone', definition: alone }, {})).rejects.toThrow(/timed out after 0.3s/);
  });

  it('weighted spreads 1,000 calls in proportion to registry weights (within 2 percentage points)', async () => {
    running = await startInstances(['light', 'medium', 'heavy']);
    const [light, medium, heavy] = running;
    const store = new MemoryOrchestrationStore();
    const now = Date.now();
    await store.putInstance('w', { id: 'light', url: light.url, weight: 1, heartbeatAt: now });
    await store.putInstance('w', { id: 'medium', url: medium.url, weight: 3, heartbeatAt: now });
    await store.putInstance('w', { id: 'heavy', url: heavy.url, weight: 6, heartbeatAt: now });
    const runtime = new ServiceOrchestrationRuntime({ store, env: {} });
    const def = service('w', { discovery: 'registry', load_balancing: 'weighted' });
    for (let i = 0; i < 1000; i++) await runtime.call({ name: 'w', definition: def }, {});
    const share = (i: ServiceInstance) => i.hits / 1000;
    expect(Math.abs(share(light) - 0.1)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(share(medium) - 0.3)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(share(heavy) - 0.6)).toBeLessThanOrEqual(0.02);
  });

  it('ignores registry instances whose heartbeat expired', async () => {
    running = await startInstances(['fresh', 'stale']);
    const [fresh, stale] = running;
    let now = 1_000_000;
    const store = new MemoryOrchestrationStore();
    await store.putInstance('hb', { id: 'stale', url: stale.url, weight: 1, heartbeatAt: now });
    now += 60_000;
    await store.putInstance('hb', { id: 'fresh', url: fresh.url, weight: 1, heartbeatAt: now });
    now += 45_000; // stale last heard 105s ago, past the 90s default
    const runtime = new ServiceOrchestrationRuntime({ store, env: {}, now: () => now });
    const def = service('hb', { discovery: 'registry' });
    for (let i = 0; i < 4; i++) await runtime.call({ name: 'hb', definition: def }, {});
    expect([fresh.hits, stale.hits]).toEqual([4, 0]);
  });

  it('fails over from a killed instance, marks it down, and marks it up again once probes pass', async () => {
    running = await startInstances(['a', 'b', 'c']);
    const [a, b, c] = running;
    const store = new MemoryOrchestrationStore();
    const runtime = new ServiceOrchestrationRuntime({ store, env: {}, failoverDelayMs: 0 });
    const def = service('ha', { discovery: 'static', instances: [a.url, b.url, c.url], health_check: { unhealthy_after: 1, healthy_after: 2 } });
    const call = () => runtime.call({ name: 'ha', definition: def }, {}) as Promise<{ instance: string }>;
    for (let i = 0; i < 3; i++) await call();
    await b.kill();
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push((await call()).instance);
    expect(answers).not.toContain('b');
    expect(answers).toHaveLength(6); // every call answered, by failover
    expect((await store.readService('ha')).health[b.url]).toMatchObject({ healthy: false });
    const before = a.hits + c.hits;
    for (let i = 0; i < 4; i++) await call();
    expect(a.hits + c.hits - before).toBe(4); // the down instance is skipped, not tried first

    await b.revive();
    expect((await runtime.probe('ha', def)).find((p) => p.id === b.url)).toMatchObject({ ok: true, healthy: false }); // 1 of 2
    expect((await runtime.probe('ha', def)).find((p) => p.id === b.url)).toMatchObject({ ok: true, healthy: true });
    const afterRevive: string[] = [];
    for (let i = 0; i < 3; i++) afterRevive.push((await call()).instance);
    expect(afterRevive).toContain('b');
  });

  it('does not fail over a 4xx answer: the service has decided', async () => {
    running = await startInstances(['a', 'b']);
    const [a, b] = running;
    a.mode = 'reject';
    b.mode = 'reject';
    const runtime = new ServiceOrchestrationRuntime({ store: new MemoryOrchestrationStore(), env: {} });
    const def = service('rej', { discovery: 'static', instances: [a.url, b.url] });
    await expect(runtime.call({ name: 'rej', definition: def }, {})).rejects.toMatchObject({ name: 'ServiceRejected', status: 400 });
    expect(a.hits + b.hits).toBe(1);
  });

  it('least_outstanding sends calls to the instance with fewer calls in flight', async () => {
    running = await startInstances(['x', 'y']);
    // Ties go in id order, so the first call goes to the instance whose URL sorts first: make it the slow one.
    const [slow, quick] = [...running].sort((p, q) => (p.url < q.url ? -1 : 1));
    slow.delayMs = 300;
    const runtime = new ServiceOrchestrationRuntime({ store: new MemoryOrchestrationStore(), env: {} });
    const def = service('lo', { discovery: 'static', instances: [slow.url, quick.url], load_balancing: 'least_outstanding' });
    const call = () => runtime.call({ name: 'lo', definition: def }, {}) as Promise<{ instance: string }>;
    const first = call();
    await new Promise((r) => setTimeout(r, 30));
    expect(runtime.balancer.outstanding('lo')).toEqual({ [slow.url]: 1 });
    const rest: string[] = [];
    for (let i = 0; i < 4; i++) rest.push((await call()).instance);
    expect((await first).instance).toBe(slow.name);
    expect(rest).toEqual([quick.name, quick.name, quick.name, quick.name]);
  });
});
