import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDevStack, type DevStack } from '../../local/dev-stack.ts';
import { run as servicesCommand } from '../../cli/commands/services.ts';
import { ServiceOrchestrator } from '../../client/service-orchestrator.ts';

/** The dev stack running definitions/service-orchestration.yaml (the seed's orchestration block) alone. */
describe('service orchestration in the dev stack', () => {
  let stack: DevStack;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'stepflow-services-'));
    const definitions = join(root, 'definitions');
    mkdirSync(definitions);
    copyFileSync('definitions/service-orchestration.yaml', join(definitions, 'service-orchestration.yaml'));
    stack = await startDevStack({ definitionsDir: definitions, dataDir: join(root, 'data'), port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => {} });
  });
  afterAll(() => stack?.stop());

  const json = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${stack.url}${path}`, { ...init, headers: { 'content-type': 'application/json' } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('runs the example workflow through the orchestrator and reports the services it called', async () => {
    const started = await json('/workflows/service-orchestration/executions', { method: 'POST', body: JSON.stringify({ name: 'orch-1', input: { email: 'ada@example.com' } }) });
    expect(started.status).toBe(202);
    const done = await vi.waitFor(async () => {
      const { body } = await json('/workflows/service-orchestration/executions/orch-1');
      expect(body.status).toBe('SUCCEEDED');
      return body;
    }, { timeout: 20_000, interval: 25 });
    const output = done.output as { notify: { delivered: boolean }; confirm: { strategy: string; results: Record<string, unknown> } };
    expect(output.notify).toMatchObject({ delivered: true, to: 'ada@example.com' });
    expect(output.confirm.strategy).toBe('quorum');
    expect(Object.keys(output.confirm.results).length).toBeGreaterThanOrEqual(1);

    const list = await json('/services');
    expect(list.status).toBe(200);
    const names = (list.body.services as { name: string }[]).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['notifier']));
    const notifier = await json('/services/notifier');
    expect(notifier.body).toMatchObject({ name: 'notifier', breaker: { state: 'closed' }, metrics: { errors: 0 } });
    expect((notifier.body.metrics as { calls: number }).calls).toBeGreaterThanOrEqual(1);
  });

  it('registers, shows and deregisters instances; bad input is a 4xx', async () => {
    const put = await json('/services/audit/instances/audit-2', { method: 'PUT', body: JSON.stringify({ url: 'http://127.0.0.1:9/audit', weight: 3, metadata: { zone: 'a' } }) });
    expect(put).toMatchObject({ status: 200, body: { service: 'audit', id: 'audit-2', weight: 3 } });
    const view = await json('/services/audit');
    expect(view.body.instances).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'audit-2', url: 'http://127.0.0.1:9/audit', weight: 3, source: 'registry', healthy: true, expired: false, outstanding: 0 })]));
    expect((await json('/services/audit/instances/audit-2', { method: 'PUT', body: JSON.stringify({ url: 'not a url' }) })).status).toBe(400);
    expect((await json('/services/audit/instances/audit-2', { method: 'PUT', body: JSON.stringify({ url: 'http://x', weight: -1 }) })).status).toBe(400);
    expect((await json('/services/audit/instances/audit-2', { method: 'PUT', body: JSON.stringify({ url: 'http://x', color: 'red' }) })).status).toBe(400);
    expect((await json('/services/audit/instances/bad%20id', { method: 'PUT', body: JSON.stringify({ url: 'http://x' }) })).status).toBe(400);
    expect(await json('/services/audit/instances/audit-2', { method: 'DELETE' })).toMatchObject({ status: 200, body: { deleted: true } });
    expect((await json('/services/audit/instances/audit-2', { method: 'DELETE' })).status).toBe(404);
    expect((await json('/services/nobody')).status).toBe(404);
  });

  it('stepflow services prints the same from the running stack', async () => {
    await json('/services/audit/instances/audit-9', { method: 'PUT', body: JSON.stringify({ url: 'http://127.0.0.1:9/audit' }) });
    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t), isTty: false };
    expect(await servicesCommand(['--url', stack.url], io)).toBe(0);
    expect(out.join('')).toMatch(/^notifier: \d+\/\d+ healthy, breaker closed; \d+ calls, 0 errors/m);
    out.length = 0;
    expect(await servicesCommand(['audit', '--url', stack.url], io)).toBe(0);
    expect(out.join('')).toContain('audit-9 http://127.0.0.1:9/audit up weight 1 in flight 0 [registry]');
    out.length = 0;
    expect(await servicesCommand(['nobody', '--url', stack.url], io)).toBe(1);
    expect(out.join('')).toContain('never registered nor called');
  });

  it('the ServiceOrchestrator client runs the workflow with the services and manages the registry', async () => {
    const orchestrator = new ServiceOrchestrator({ baseUrl: stack.url, discovery: 'registry', loadBalancing: 'round_robin', pollMs: 25 });
    const result = await orchestrator.orchestrate({ services: ['notifier', 'audit'], workflow: 'service-orchestration', options: { timeout: 20_000, retries: 1 } });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { notify: { delivered: true } } });
    expect(result.executionIds).toHaveLength(1);
    await orchestrator.register('audit', 'audit-c', { url: 'http://127.0.0.1:9/audit', weight: 2 });
    expect((await orchestrator.services('audit')).instances).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'audit-c', weight: 2 })]));
    expect((await orchestrator.services()).map((s) => s.name)).toContain('audit');
    await orchestrator.deregister('audit', 'audit-c');
    await expect(orchestrator.deregister('audit', 'audit-c')).rejects.toMatchObject({ status: 404 });
  });
});
