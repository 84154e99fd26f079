import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../../core/definition/model.ts';
import { normaliseServiceOrchestration } from '../../../core/definition/orchestration-model.ts';
import { MemoryOrchestrationStore } from '../../../functions/orchestration/memory-orchestration-store.ts';
import { ServiceOrchestrationRuntime } from '../../../functions/orchestration/orchestrator.ts';
import { renderConsulDouble } from '../../support/consul-api-double.ts';

interface DoubleEntry {
  Node: { Node: string; Address: string };
  Service: { ID: string; Service: string; Address: string; Port: number; Meta?: Record<string, string> };
}

/** Consul discovery against HashiCorp's own Consul API double, served from 127.0.0.1. */
describe('consul discovery against @hashicorp/consul-api-double', () => {
  let consul: Server;
  let consulUrl: string;
  const served: Record<string, unknown> = {};
  beforeAll(async () => {
    consul = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = renderConsulDouble(url.pathname, Object.fromEntries(url.searchParams), { CONSUL_NODE_COUNT: '3', CONSUL_TAG_COUNT: '2', CONSUL_CHECK_COUNT: '2' });
      served[url.pathname] = body;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => consul.listen(0, '127.0.0.1', r));
    consulUrl = `http://127.0.0.1:${(consul.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => consul.close(() => r())));

  it('reads every entry of the double\'s /v1/health/service/<name> answer as an instance', async () => {
    const runtime = new ServiceOrchestrationRuntime({ store: new MemoryOrchestrationStore(), env: {} });
    const definition: ServiceDefinition = {
      name: 'web', method: 'POST', headers: {}, timeoutSeconds: 5,
      orchestration: normaliseServiceOrchestration('web', { discovery: 'consul', consul: { address: consulUrl } }),
    };
    const found = await runtime.instancesOf('web', definition);
    const entries = served['/v1/health/service/web'] as DoubleEntry[];
    expect(entries).toHaveLength(3);
    expect(entries.every((e) => e.Service.Service === 'web')).toBe(true);
    // <node>/<Service.ID> (the double, like Consul, repeats a service ID on several nodes), and
    // http://<Service.Address, else Node.Address>:<Service.Port>.
    expect(found.map(({ instance }) => ({ id: instance.id, url: instance.url, source: instance.source, weight: instance.weight }))).toEqual(
      entries.map((e) => ({ id: `${e.Node.Node}/${e.Service.ID}`, url: `http://${e.Service.Address || e.Node.Address}:${e.Service.Port}`, source: 'consul', weight: 1 })),
    );
    expect(found[0].instance.id).toBe('node-0/web-with-id');
    expect(new Set(found.map(({ instance }) => instance.id)).size).toBe(3);
    expect(found.map(({ instance }) => instance.metadata)).toEqual(entries.map((e) => e.Service.Meta ?? {}));
  });
});
