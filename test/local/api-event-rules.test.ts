import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevStack, type DevStack } from '../../local/dev-stack.ts';

const definitions = fileURLToPath(new URL('./fixtures/redrive', import.meta.url));
let stack: DevStack;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-rules-'));
  stack = await startDevStack({ definitionsDir: definitions, dataDir, port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => undefined, taskLog: () => undefined });
});
afterAll(async () => stack?.stop());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

describe('event rules created through the API of the offline stack', () => {
  it('target the dispatcher with the retry policy and the dead-letter queue of the stack', async () => {
    const created = await call('POST', '/event-rules', { workflow: 'orders', pattern: { source: ['shop'] }, name: 'shop_events' });

    expect(created).toMatchObject({ status: 201, body: { name: 'stepflow-orders.shop_events', bus: 'stepflow' } });
    const [target] = stack.scheduling.bus.listTargets('stepflow-orders.shop_events', 'stepflow');
    expect(target).toMatchObject({
      RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: stack.scheduling.environment.STEPFLOW_SCHEDULE_DLQ_ARN },
    });
  });

  it('answer 400 with the known buses for any other bus', async () => {
    const refused = await call('POST', '/event-rules', { workflow: 'orders', pattern: { source: ['shop'] }, bus: 'elsewhere' });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'unknown_event_bus', details: { knownBuses: ['stepflow'] } } } });
    const published = await call('POST', '/events', { source: 'shop', detailType: 'T', detail: {}, bus: 'elsewhere' });
    expect(published).toMatchObject({ status: 400, body: { error: { code: 'unknown_event_bus', details: { knownBuses: ['stepflow', 'default'] } } } });
  });
});
