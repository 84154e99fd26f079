import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { normaliseServiceOrchestration } from '../../../core/definition/orchestration-model.ts';
import type { ServiceDefinition } from '../../../core/definition/model.ts';
import { MemoryOrchestrationStore } from '../../../functions/orchestration/memory-orchestration-store.ts';
import { ServiceOrchestrationRuntime } from '../../../functions/orchestration/orchestrator.ts';
import { HealthProbeLoop } from '../../../local/services/health-probe-loop.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { startInstance, type ServiceInstance } from '../../support/service-instances.ts';

let instance: ServiceInstance;
beforeAll(async () => {
  instance = await startInstance('probed');
});
afterAll(() => instance.kill());

describe('HealthProbeLoop (the dev stack\'s probe schedule)', () => {
  it('probes on the health_check interval of the clock, marking an instance down and up again', async () => {
    const clock = new FakeClock(0);
    const store = new MemoryOrchestrationStore();
    const runtime = new ServiceOrchestrationRuntime({ store, env: {}, now: () => clock.now() });
    const def: ServiceDefinition = {
      name: 'probed', method: 'POST', headers: {}, timeoutSeconds: 5,
      orchestration: normaliseServiceOrchestration('probed', { discovery: 'static', instances: [instance.url], health_check: { interval: 10, unhealthy_after: 1, healthy_after: 1 } }),
    };
    const loop = new HealthProbeLoop(runtime, new Map([['probed', def]]), clock);
    loop.start();
    const health = async () => (await store.readService('probed')).health[instance.url];

    instance.mode = 'fail';
    clock.advance(9_999);
    await new Promise((r) => setTimeout(r, 50));
    expect(await health()).toBeUndefined(); // not yet due
    clock.advance(1);
    await vi.waitFor(async () => expect(await health()).toMatchObject({ healthy: false }), { timeout: 5_000, interval: 10 });

    instance.mode = 'ok';
    // The next round is armed once the first has finished.
    await vi.waitFor(async () => {
      clock.advance(10_000);
      expect(await health()).toMatchObject({ healthy: true });
    }, { timeout: 5_000, interval: 20 });
    await loop.stop();
  });
});
