import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceOrchestrator } from '../../client/service-orchestrator.ts';
import { startDevStack, type DevStack } from '../../local/dev-stack.ts';
import { startInstance, type ServiceInstance } from '../support/service-instances.ts';

/** One workflow whose service task takes its services from the input, run by the dev stack and the client. */
describe('a service task choosing its services from the input', () => {
  let stack: DevStack;
  let instances: ServiceInstance[];
  beforeAll(async () => {
    instances = await Promise.all(['a', 'b', 'c'].map((name) => startInstance(name)));
    const root = mkdtempSync(join(tmpdir(), 'stepflow-input-services-'));
    const definitions = join(root, 'definitions');
    mkdirSync(definitions);
    writeFileSync(join(definitions, 'fan-in.yaml'), [
      'workflow:',
      '  services:',
      ...instances.map((i) => `    ${i.name}: { discovery: static, instances: ["${i.url}"] }`),
      '  tasks:',
      '    - name: gather',
      '      type: service',
      '      services: $.services',
      '      aggregate: all',
      '',
    ].join('\n'));
    stack = await startDevStack({ definitionsDir: definitions, dataDir: join(root, 'data'), port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => {} });
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all(instances.map((i) => i.kill()));
  });

  it('calls the services each execution names, through one workflow', async () => {
    const orchestrator = new ServiceOrchestrator({ baseUrl: stack.url, pollMs: 25 });
    const first = await orchestrator.orchestrate({ services: ['a', 'b'], workflow: 'fan-in', options: { timeout: 20_000 } });
    expect(first.status).toBe('SUCCEEDED');
    expect((first.output as { gather: { results: Record<string, unknown> } }).gather.results).toEqual({ a: { instance: 'a' }, b: { instance: 'b' } });
    const second = await orchestrator.orchestrate({ services: ['c'], workflow: 'fan-in', options: { timeout: 20_000 } });
    expect(second.status).toBe('SUCCEEDED');
    expect((second.output as { gather: { results: Record<string, unknown> } }).gather.results).toEqual({ c: { instance: 'c' } });
    expect(instances.map((i) => i.hits)).toEqual([1, 1, 1]);
  });

  it('fails the task with stepflow.UnknownService naming a service the workflow does not know', async () => {
    const orchestrator = new ServiceOrchestrator({ baseUrl: stack.url, pollMs: 25 });
    const result = await orchestrator.orchestrate({ services: ['a', 'ghost'], workflow: 'fan-in', options: { timeout: 20_000 } });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('stepflow.UnknownService');
    expect(result.cause).toContain('"ghost"');
  });
});
