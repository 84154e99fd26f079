import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../../core/definition/model.ts';
import { normaliseServiceOrchestration, type ServiceOrchestrationSpec } from '../../../core/definition/orchestration-model.ts';
import { DynamoDbOrchestrationStore } from '../../../functions/orchestration/dynamodb-orchestration-store.ts';
import { ServiceOrchestrationRuntime } from '../../../functions/orchestration/orchestrator.ts';
import { countingDocumentClient, createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';
import { startInstance, type ServiceInstance } from '../../support/service-instances.ts';

const service = (name: string, spec: ServiceOrchestrationSpec): ServiceDefinition => ({
  name, method: 'POST', headers: {}, timeoutSeconds: 5, orchestration: normaliseServiceOrchestration(name, spec),
});

let dynamo: LocalDynamo;
const instances: ServiceInstance[] = [];
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await Promise.all(instances.map((i) => i.kill()));
  await dynamo.close();
});

/** Two invokers (two Lambda instances, say) with their own clients on one table, reading one injected clock. */
async function twoInvokers(clock: { now: number }) {
  const tableName = await createExecutionsTable(dynamo.endpoint);
  const make = () => new ServiceOrchestrationRuntime({
    store: new DynamoDbOrchestrationStore({ client: countingDocumentClient(dynamo.endpoint).client, tableName }),
    env: {},
    now: () => clock.now,
    failoverDelayMs: 0,
  });
  return [make(), make()] as const;
}

const flushBoth = async (...runtimes: ServiceOrchestrationRuntime[]) => {
  for (const runtime of runtimes) await runtime.flush();
};

describe('circuit breaker shared through DynamoDB', () => {
  it('opens after the configured failures seen by two invokers, fails fast, half-opens after open_for and closes on a good trial', async () => {
    const flaky = await startInstance('flaky');
    instances.push(flaky);
    flaky.mode = 'fail';
    const clock = { now: 1_700_000_000_000 };
    const [one, two] = await twoInvokers(clock);
    const def = service('pay', { discovery: 'static', instances: [flaky.url], circuit_breaker: { failure_rate: 0.5, minimum_calls: 4, window: 60, open_for: 30, half_open_calls: 1 } });
    const call = (runtime: ServiceOrchestrationRuntime) => runtime.call({ name: 'pay', definition: def }, {});

    // Retry of one instance is not what is measured here: one attempt per call.
    for (const runtime of [one, two, one]) await expect(call(runtime)).rejects.toMatchObject({ name: 'ServiceUnavailable' });
    // Below the threshold outcomes are batched: each invoker flushes them (on its interval, and at the end of each invocation).
    await flushBoth(one, two);
    expect((await one.store.readService('pay')).breaker).toMatchObject({ state: 'closed', calls: 3, failures: 3 });
    await expect(call(two)).rejects.toMatchObject({ name: 'ServiceUnavailable' });
    expect((await one.store.readService('pay')).breaker).toMatchObject({ state: 'open' });

    const hits = flaky.hits;
    await expect(call(one)).rejects.toMatchObject({ name: 'CircuitOpen' });
    await expect(call(two)).rejects.toMatchObject({ name: 'CircuitOpen' });
    expect(flaky.hits).toBe(hits); // failed fast, the service never reached

    clock.now += 29_000;
    await expect(call(one)).rejects.toMatchObject({ name: 'CircuitOpen' });
    clock.now += 1_000; // open_for has passed: one trial call goes through
    flaky.mode = 'ok';
    flaky.delayMs = 200;
    const trial = call(one);
    await new Promise((r) => setTimeout(r, 100));
    // While the one trial is in flight the other invoker gets none: half_open_calls is 1.
    await expect(call(two)).rejects.toMatchObject({ name: 'CircuitOpen' });
    await expect(trial).resolves.toMatchObject({ instance: 'flaky' });
    flaky.delayMs = 0;
    expect((await two.store.readService('pay')).breaker).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
    await expect(call(two)).resolves.toMatchObject({ instance: 'flaky' });
    const { metrics } = await one.store.readService('pay');
    expect(metrics.transitions).toBeGreaterThanOrEqual(3); // closed → open → half-open → closed
  });

  it('a failed trial opens the breaker again for another open_for', async () => {
    const down = await startInstance('down');
    instances.push(down);
    down.mode = 'fail';
    const clock = { now: 1_700_000_000_000 };
    const [one, two] = await twoInvokers(clock);
    const def = service('inv', { discovery: 'static', instances: [down.url], circuit_breaker: { failure_rate: 1, minimum_calls: 2, open_for: 10 } });
    const call = (runtime: ServiceOrchestrationRuntime) => runtime.call({ name: 'inv', definition: def }, {});
    await expect(call(one)).rejects.toMatchObject({ name: 'ServiceUnavailable' });
    await expect(call(two)).rejects.toMatchObject({ name: 'ServiceUnavailable' });
    await flushBoth(one, two);
    clock.now += 10_000;
    await expect(call(two)).rejects.toMatchObject({ name: 'ServiceUnavailable' }); // the trial, failing
    expect((await one.store.readService('inv')).breaker).toMatchObject({ state: 'open', openedAt: clock.now });
    clock.now += 9_000;
    await expect(call(one)).rejects.toMatchObject({ name: 'CircuitOpen' });
  });

  it('calls the fallback service while the breaker is open', async () => {
    const primary = await startInstance('primary');
    const backup = await startInstance('backup', { cached: true });
    instances.push(primary, backup);
    primary.mode = 'fail';
    const clock = { now: 1_700_000_000_000 };
    const [one, two] = await twoInvokers(clock);
    const backupDef = service('quotes_cache', { discovery: 'static', instances: [backup.url] });
    const def = service('quotes', { discovery: 'static', instances: [primary.url], fallback: 'quotes_cache', circuit_breaker: { failure_rate: 1, minimum_calls: 2, open_for: 30 } });
    const related = { quotes_cache: backupDef };
    // Failing calls go to the fallback too (all instances failed), and open the breaker.
    await expect(one.call({ name: 'quotes', definition: def }, {}, related)).resolves.toEqual({ instance: 'backup', cached: true });
    await expect(two.call({ name: 'quotes', definition: def }, {}, related)).resolves.toEqual({ instance: 'backup', cached: true });
    await flushBoth(one, two);
    clock.now += 1_000; // invoker one's cached state (read before two's flush opened the breaker) expires
    const hits = primary.hits;
    await expect(one.call({ name: 'quotes', definition: def }, {}, related)).resolves.toEqual({ instance: 'backup', cached: true });
    expect(primary.hits).toBe(hits); // open: straight to the fallback
    expect(backup.hits).toBe(3);
    // Without a fallback's settings the open breaker surfaces as CircuitOpen.
    await expect(one.call({ name: 'quotes', definition: { ...def, orchestration: { ...def.orchestration!, fallback: undefined } } }, {})).rejects.toMatchObject({ name: 'CircuitOpen' });
  });
});
