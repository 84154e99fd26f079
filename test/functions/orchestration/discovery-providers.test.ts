import { DiscoverInstancesCommand } from '@aws-sdk/client-servicediscovery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../../core/definition/model.ts';
import { normaliseServiceOrchestration, type ServiceOrchestrationSpec } from '../../../core/definition/orchestration-model.ts';
import { MemoryOrchestrationStore } from '../../../functions/orchestration/memory-orchestration-store.ts';
import { ServiceOrchestrationRuntime } from '../../../functions/orchestration/orchestrator.ts';
import { createProbeHandler } from '../../../functions/orchestration/probe-handler.ts';
import { startInstances, type ServiceInstance } from '../../support/service-instances.ts';

const service = (name: string, spec: ServiceOrchestrationSpec): ServiceDefinition => ({
  name, method: 'POST', headers: {}, timeoutSeconds: 5, orchestration: normaliseServiceOrchestration(name, spec),
});

let a: ServiceInstance, b: ServiceInstance;
beforeAll(async () => {
  [a, b] = await startInstances(['a', 'b']);
});
afterAll(async () => {
  await Promise.all([a.kill(), b.kill()]);
});

describe('Cloud Map discovery', () => {
  it('asks DiscoverInstances for healthy instances of the namespace and service, and caches them for refresh_interval', async () => {
    const sent: DiscoverInstancesCommand[] = [];
    let instances = [
      { InstanceId: 'i-a', Attributes: { AWS_INSTANCE_IPV4: '127.0.0.1', AWS_INSTANCE_PORT: String(a.port), path: '/call' } },
      { InstanceId: 'i-b', Attributes: { url: b.url } },
    ];
    const cloudMap = { send: async (command: DiscoverInstancesCommand) => (sent.push(command), { Instances: instances }) };
    let now = 0;
    const runtime = new ServiceOrchestrationRuntime({ store: new MemoryOrchestrationStore(), env: {}, now: () => now, cloudMap: () => cloudMap as never });
    const def = service('pricing', { discovery: 'cloudmap', cloudmap: { namespace: 'shop.local', service: 'pricing-svc' } });
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push(((await runtime.call({ name: 'pricing', definition: def }, {})) as { instance: string }).instance);
    expect(seen).toEqual(['a', 'b', 'a', 'b']);
    expect(sent.map((c) => c.input)).toEqual([{ NamespaceName: 'shop.local', ServiceName: 'pricing-svc', HealthStatus: 'HEALTHY' }]);
    instances = [instances[1]];
    now += 29_000;
    await runtime.call({ name: 'pricing', definition: def }, {});
    expect(sent).toHaveLength(1);
    now += 1_000;
    expect(((await runtime.call({ name: 'pricing', definition: def }, {})) as { instance: string }).instance).toBe('b');
    expect(sent).toHaveLength(2);
  });

  it('keeps the last instances known when Cloud Map fails, and fails retriably when it never answered', async () => {
    let fail = false;
    const cloudMap = { send: async () => { if (fail) throw new Error('throttled'); return { Instances: [{ InstanceId: 'i-a', Attributes: { url: a.url } }] }; } };
    let now = 0;
    const runtime = new ServiceOrchestrationRuntime({ store: new MemoryOrchestrationStore(), env: {}, now: () => now, cloudMap: () => cloudMap as never });
    const def = service('stock', { discovery: 'cloudmap', cloudmap: { namespace: 'shop.local' } });
    await runtime.call({ name: 'stock', definition: def }, {});
    fail = true;
    now += 60_000;
    await expect(runtime.call({ name: 'stock', definition: def }, {})).resolves.toMatchObject({ instance: 'a' });
    const fresh = new ServiceOrchestrationRuntime({ store: new MemoryOrchestrationStore(), env: {}, cloudMap: () => cloudMap as never });
    await expect(fresh.call({ name: 'stock', definition: def }, {})).rejects.toMatchObject({ name: 'ServiceUnavailable', message: expect.stringContaining('cloudmap discovery failed: throttled') });
  });
});

describe('the probe Lambda', () => {
  it('probes every instance of the services in STEPFLOW_PROBED_SERVICES and records their health', async () => {
    const store = new MemoryOrchestrationStore();
    const runtime = new ServiceOrchestrationRuntime({ store, env: {} });
    const def = service('notify', { discovery: 'static', instances: [a.url, b.url], health_check: { unhealthy_after: 1 } });
    b.mode = 'fail';
    const probe = createProbeHandler(runtime, { STEPFLOW_PROBED_SERVICES: JSON.stringify({ notify: def }) });
    const reports = await probe();
    b.mode = 'ok';
    expect(reports).toEqual([{ service: 'notify', instances: [
      { id: a.url, url: a.url, ok: true, healthy: true },
      { id: b.url, url: b.url, ok: false, healthy: false },
    ] }]);
    expect((await store.readService('notify')).health[b.url]).toMatchObject({ healthy: false, consecutiveFailures: 1 });
  });

  it('refuses a STEPFLOW_PROBED_SERVICES that is not JSON', () => {
    expect(() => createProbeHandler(undefined, { STEPFLOW_PROBED_SERVICES: '{nope' })).toThrow(/must be JSON/);
  });
});
