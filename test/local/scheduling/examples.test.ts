import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../../project/load-project.ts';
import type { EventTriggerPlan, ScheduleTriggerPlan } from '../../../core/compiler/triggers.ts';
import { nextFireTimes } from '../../../core/scheduling/aws-cron.ts';
import { DynamoDbFlagStore } from '../../../functions/scheduling/dynamodb-flag-store.ts';
import { startDevStack, type DevStack } from '../../../local/dev-stack.ts';
import type { FireRecord } from '../../../local/scheduling/local-scheduler.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const definitions = fileURLToPath(new URL('../../../definitions', import.meta.url));
const { plans } = loadProject(definitions);
const schedules = plans.flatMap((p) => p.triggers.filter((t): t is ScheduleTriggerPlan => t.kind === 'schedule').map((t) => ({ plan: p, trigger: t })));
const events = plans.flatMap((p) => p.triggers.filter((t): t is EventTriggerPlan => t.kind === 'event').map((t) => ({ plan: p, trigger: t })));

/** An event that matches each example's pattern: the exact values it asks for, and numbers above its bounds. */
const SAMPLE_EVENTS: Record<string, { source: string; detailType: string; detail: Record<string, unknown> }> = {
  'order_pipeline.order_placed': { source: 'shop.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-42', amount: 19.5 } },
};

describe('every example trigger offline', () => {
  let stack: DevStack;
  const clock = new FakeClock(Date.now());
  const fires: FireRecord[] = [];

  beforeAll(async () => {
    stack = await startDevStack({ definitionsDir: definitions, dataDir: mkdtempSync(join(tmpdir(), 'stepflow-triggers-')), port: 0, servicesPort: 0, retryIntervalMs: 0, schedulingClock: clock, log: () => undefined });
    stack.scheduling.scheduler.on('fire', (record) => fires.push(record));
    // Conditions of the examples: the flags they read are set, so their fires start executions.
    const flags = new DynamoDbFlagStore({ client: stack.clients.dynamo, tableName: stack.config.table });
    for (const { trigger } of [...schedules, ...events]) if (trigger.condition?.flag) await flags.setFlag(trigger.condition.flag.name, trigger.condition.flag.equals ?? true);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('has triggers to run', () => {
    expect(schedules.length).toBeGreaterThan(0);
    expect(events.length).toBeGreaterThan(0);
  });

  it.each(schedules.map((s) => [`${s.plan.name}.${s.trigger.name}`, s] as const))('fires schedule %s once and its execution succeeds', async (id, { plan, trigger }) => {
    // GIVEN the declared schedule's next instant
    const [next] = nextFireTimes(trigger.expression, { from: new Date(clock.now()), count: 1, timezone: trigger.timezone });
    // WHEN the clock reaches it
    clock.advanceTo(next);
    await stack.scheduling.scheduler.idle();
    // THEN that instant was fired once and started an execution, which succeeds
    const fired = fires.filter((f) => f.scheduleId === id && f.scheduledTime.getTime() === next.getTime());
    expect(fired).toMatchObject([{ status: 'started' }]);
    const execution = stack.engine.list({ workflow: plan.name }).find((e) => e.name.includes(next.toISOString().slice(0, 4)));
    expect(execution).toBeDefined();
    expect((await stack.engine.wait(execution!.executionArn)).status).toBe('SUCCEEDED');
  }, 30_000);

  it.each(events.map((e) => [`${e.plan.name}.${e.trigger.name}`, e] as const))('starts %s for a matching event and the execution succeeds', async (id, { plan }) => {
    const sample = SAMPLE_EVENTS[id];
    expect(sample, `add a matching event for ${id} to SAMPLE_EVENTS`).toBeDefined();
    const client = stack.clients.eventBridge;
    const before = stack.engine.list({ workflow: plan.name }).length;
    const put = await client.send(new PutEventsCommand({ Entries: [{ EventBusName: stack.config.scheduling.eventBus, Source: sample.source, DetailType: sample.detailType, Detail: JSON.stringify(sample.detail) }] }));
    expect(put.FailedEntryCount).toBe(0);
    await stack.scheduling.bus.drain();
    const started = stack.engine.list({ workflow: plan.name });
    expect(started.length).toBe(before + 1);
    const done = await stack.engine.wait(started[0].executionArn);
    expect(done.status).toBe('SUCCEEDED');
  }, 30_000);
});
