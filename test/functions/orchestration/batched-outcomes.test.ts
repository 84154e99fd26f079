import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../../core/definition/model.ts';
import { normaliseServiceOrchestration, type ServiceOrchestrationSpec } from '../../../core/definition/orchestration-model.ts';
import { DynamoDbOrchestrationStore } from '../../../functions/orchestration/dynamodb-orchestration-store.ts';
import { ServiceOrchestrationRuntime } from '../../../functions/orchestration/orchestrator.ts';
import { createServiceInvoker } from '../../../functions/service-invoker/handler.ts';
import { createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';
import { startInstance, type ServiceInstance } from '../../support/service-instances.ts';

const service = (name: string, spec: ServiceOrchestrationSpec): ServiceDefinition => ({
  name, method: 'POST', headers: {}, timeoutSeconds: 5, orchestration: normaliseServiceOrchestration(name, spec),
});

/** A document client counting every command it sends (reads and writes). */
function countingClient(endpoint: string) {
  let commands = 0;
  const base = new DynamoDBClient({ endpoint, region: 'us-east-1' });
  base.middlewareStack.add((next) => async (args) => {
    commands++;
    return next(args);
  }, { step: 'initialize', name: 'countCommands' });
  return { client: DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } }), commands: () => commands };
}

let dynamo: LocalDynamo;
const instances: ServiceInstance[] = [];
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await Promise.all(instances.map((i) => i.kill()));
  await dynamo.close();
});

/** Invokers on one table and one injected clock; the interval flush is far off, so only flush() writes. */
async function invokers(clock: { now: number }, count: number) {
  const tableName = await createExecutionsTable(dynamo.endpoint);
  return Array.from({ length: count }, () => {
    const counting = countingClient(dynamo.endpoint);
    const runtime = new ServiceOrchestrationRuntime({
      store: new DynamoDbOrchestrationStore({ client: counting.client, tableName }),
      env: {}, now: () => clock.now, failoverDelayMs: 0, flushIntervalMs: 3_600_000,
    });
    return { runtime, commands: counting.commands };
  });
}

describe('batched call outcomes over DynamoDB', () => {
  it('makes no store round trip on the hot path, and writes calls, breaker counts and latencies at flush', async () => {
    const ok = await startInstance('ok');
    instances.push(ok);
    const clock = { now: 1_700_000_000_000 };
    const [{ runtime, commands }] = await invokers(clock, 1);
    const def = service('fast', { discovery: 'static', instances: [ok.url], circuit_breaker: { minimum_calls: 100, window: 60 } });
    await runtime.call({ name: 'fast', definition: def }, {}); // the first call reads the service's state
    const afterFirst = commands();
    expect(afterFirst).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) await runtime.call({ name: 'fast', definition: def }, {});
    expect(commands()).toBe(afterFirst); // cached state, outcomes in memory
    expect((await runtime.store.readService('fast')).metrics.calls).toBe(0);

    await runtime.flush();
    const state = await runtime.store.readService('fast');
    expect(state.metrics).toMatchObject({ calls: 21, errors: 0, transitions: 0 });
    expect(Object.values(state.metrics.buckets).reduce((a, b) => a + b, 0)).toBe(21);
    expect(state.breaker).toMatchObject({ state: 'closed', calls: 21, failures: 0 });

    clock.now += 1_000; // the cached state is read again once its TTL is over
    const before = commands();
    await runtime.call({ name: 'fast', definition: def }, {});
    expect(commands()).toBeGreaterThan(before);
  });

  it('opens the shared breaker from two invokers whose failures are each below the threshold once both flushed', async () => {
    const flaky = await startInstance('flaky-batched');
    instances.push(flaky);
    flaky.mode = 'fail';
    const clock = { now: 1_700_000_000_000 };
    const [one, two] = await invokers(clock, 2);
    // Instances stay healthy (unhealthy_after is high) so the cached state stays clean: the batched path.
    const def = service('ledger', { discovery: 'static', instances: [flaky.url], health_check: { unhealthy_after: 100 }, circuit_breaker: { failure_rate: 0.5, minimum_calls: 4, window: 60, open_for: 30 } });
    const call = (runtime: ServiceOrchestrationRuntime) => runtime.call({ name: 'ledger', definition: def }, {});
    for (const { runtime } of [one, two, one, two]) await expect(call(runtime)).rejects.toMatchObject({ name: 'ServiceUnavailable' });
    // Each invoker saw 2 failed calls of the 4 needed: nothing crossed, nothing written to the breaker yet.
    expect((await one.runtime.store.readService('ledger')).breaker).toMatchObject({ state: 'closed', calls: 0 });

    await one.runtime.flush();
    expect((await one.runtime.store.readService('ledger')).breaker).toMatchObject({ state: 'closed', calls: 2, failures: 2 });
    await two.runtime.flush(); // merged with a conditional write onto one's counts: 4 of 4 failed
    const { breaker, metrics } = await one.runtime.store.readService('ledger');
    expect(breaker).toMatchObject({ state: 'open', calls: 4, failures: 4, openedAt: clock.now });
    expect(metrics).toMatchObject({ calls: 4, errors: 4, transitions: 1 });

    // Two read the record while flushing; one sees it once its cached state expires.
    const hits = flaky.hits;
    await expect(call(two.runtime)).rejects.toMatchObject({ name: 'CircuitOpen' });
    clock.now += 1_000;
    await expect(call(one.runtime)).rejects.toMatchObject({ name: 'CircuitOpen' });
    expect(flaky.hits).toBe(hits);
  });

  it('a failure that crosses the threshold in one invoker opens the shared breaker at once', async () => {
    const flaky = await startInstance('flaky-crossing');
    instances.push(flaky);
    flaky.mode = 'fail';
    const clock = { now: 1_700_000_000_000 };
    const [one] = await invokers(clock, 1);
    const def = service('crossing', { discovery: 'static', instances: [flaky.url], health_check: { unhealthy_after: 100 }, circuit_breaker: { failure_rate: 0.5, minimum_calls: 3, open_for: 30 } });
    for (let i = 0; i < 2; i++) await expect(one.runtime.call({ name: 'crossing', definition: def }, {})).rejects.toMatchObject({ name: 'ServiceUnavailable' });
    expect((await one.runtime.store.readService('crossing')).breaker).toMatchObject({ state: 'closed', calls: 0 });
    await expect(one.runtime.call({ name: 'crossing', definition: def }, {})).rejects.toMatchObject({ name: 'ServiceUnavailable' });
    expect((await one.runtime.store.readService('crossing')).breaker).toMatchObject({ state: 'open', calls: 3, failures: 3 });
  });

  it('the invoker handler flushes before it returns, so GET /services figures include the call', async () => {
    const ok = await startInstance('handler-flush');
    instances.push(ok);
    const clock = { now: 1_700_000_000_000 };
    const [{ runtime }] = await invokers(clock, 1);
    const invoke = createServiceInvoker({ orchestration: runtime, env: {} });
    const def = service('billing', { discovery: 'static', instances: [ok.url] });
    await invoke({ task: 'bill', workflow: 'w', execution: 'e', attempt: 0, input: {}, results: {}, service: { name: 'billing', definition: def } });
    expect((await runtime.store.readService('billing')).metrics).toMatchObject({ calls: 1, errors: 0 });
  });
});
