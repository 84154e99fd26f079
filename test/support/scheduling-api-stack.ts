import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { createApiHandler } from '../../functions/api/handler.ts';
import type { ApiDeps } from '../../functions/api/deps.ts';
import type { SchedulingConfig } from '../../functions/shared/config.ts';
import { startApiStack, TEST_WORKFLOWS, type ApiStack } from './api-stack.ts';
import { startFakeEventBridge, type FakeEventBridge } from './fake-eventbridge.ts';
import { startFakeScheduler, type FakeScheduler } from './fake-scheduler.ts';
import { proxyEvent } from './proxy-event.ts';
import { createSchedulingStores, type SchedulingStores } from './scheduling-stores.ts';

/** The API's clock in the scheduling tests: fixed, so next fire times are fixed. */
export const SCHEDULING_NOW = new Date('2025-03-01T10:17:30.000Z');

export const SCHEDULING_SETTINGS: SchedulingConfig = {
  scheduleGroup: 'stepflow',
  dispatcherArn: 'arn:aws:lambda:us-east-1:123456789012:function:dispatcher',
  schedulerRoleArn: 'arn:aws:iam::123456789012:role/scheduler',
  deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:schedules-dlq',
  eventBus: 'stepflow-bus',
};

export interface SchedulingApiStack {
  readonly api: ApiStack;
  readonly deps: ApiDeps;
  readonly stores: SchedulingStores;
  readonly scheduler: FakeScheduler;
  readonly eventBridge: FakeEventBridge;
  readonly handler: ReturnType<typeof createApiHandler>;
  call(method: string, path: string, body?: unknown): Promise<{ statusCode: number; headers: Record<string, unknown>; body: any }>;
  close(): Promise<void>;
}

/**
 * The API with its scheduling routes over dynalite, the fake SFN, Scheduler and EventBridge servers, a
 * fixed clock and more workflows: `capped` (max_jobs 2, max_events 3), `daily_backup`, and `deployed`
 * (max_jobs 2, one declared schedule known only from the registry).
 */
export async function startSchedulingApiStack(): Promise<SchedulingApiStack> {
  const api = await startApiStack();
  const scheduler = await startFakeScheduler();
  const eventBridge = await startFakeEventBridge();
  const stores = await createSchedulingStores(api.dynamo.endpoint, () => SCHEDULING_NOW);
  let seq = 0;
  const deps: ApiDeps = {
    ...api.deps,
    workflows: {
      ...TEST_WORKFLOWS,
      capped: { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:capped', mode: 'STANDARD', maxJobs: 2, maxEvents: 3 },
      daily_backup: { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:daily_backup', mode: 'STANDARD', maxJobs: 1000 },
      // Declares one schedule that, as on AWS, is deployed with the stack and not in the store.
      deployed: { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:deployed', mode: 'STANDARD', maxJobs: 2, declaredSchedules: ['deployed.nightly'] },
    },
    clock: () => SCHEDULING_NOW,
    newId: () => `id-${++seq}`,
    scheduling: {
      schedules: stores.schedules,
      flags: stores.flags,
      rateLimiter: stores.rateLimiter,
      scheduler: new SchedulerClient({ endpoint: scheduler.endpoint, region: 'us-east-1' }),
      eventBridge: new EventBridgeClient({ endpoint: eventBridge.endpoint, region: 'us-east-1' }),
      settings: SCHEDULING_SETTINGS,
    },
  };
  const handler = createApiHandler(deps);
  return {
    api,
    deps,
    stores,
    scheduler,
    eventBridge,
    handler,
    call: async (method, path, body) => {
      const event = proxyEvent(method, path, body === undefined ? null : JSON.stringify(body), { 'Content-Type': 'application/json' });
      const response = await handler(event, {} as never);
      return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body ? JSON.parse(response.body) : undefined };
    },
    close: async () => {
      await scheduler.close();
      await eventBridge.close();
      await api.close();
    },
  };
}
