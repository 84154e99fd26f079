import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { createApiHandler } from '../../functions/api/handler.ts';
import type { ApiDeps } from '../../functions/api/deps.ts';
import type { SchedulingConfig } from '../../functions/shared/config.ts';
import { stateMachineArn } from '../../local/engine/arn.ts';
import type { Delivery } from '../../local/emulators/eventbridge/delivery-queue.ts';
import { LocalEventBus } from '../../local/emulators/eventbridge/event-bus.ts';
import { startEventBridgeServer, type EventBridgeServer } from '../../local/emulators/eventbridge/eventbridge-server.ts';
import type { RuleDescription, Target } from '../../local/emulators/eventbridge/rules.ts';
import { startSchedulerServer, type SchedulerServer } from '../../local/emulators/scheduler/scheduler-server.ts';
import { LocalSchedulerService } from '../../local/emulators/scheduler/scheduler-service.ts';
import { LocalScheduler } from '../../local/scheduling/local-scheduler.ts';
import { startApiStack, TEST_WORKFLOWS, type ApiStack } from './api-stack.ts';
import { FakeClock } from './fake-clock.ts';
import { parkedWorkflow } from './parked-workflow.ts';
import { proxyEvent } from './proxy-event.ts';
import { DynamoDbOrchestrationStore } from '../../functions/orchestration/dynamodb-orchestration-store.ts';
import { countingDocumentClient, createExecutionsTable } from './dynalite.ts';
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
  /** The Scheduler emulator: its schedules, and its server recording calls. */
  readonly scheduler: LocalSchedulerService;
  readonly schedulerServer: SchedulerServer;
  /** The EventBridge emulator: its bus (rules, targets), and its server recording calls. */
  readonly bus: LocalEventBus;
  readonly eventBridge: EventBridgeServer;
  /** What the bus delivered to rule targets. */
  readonly deliveries: readonly Delivery[];
  readonly handler: ReturnType<typeof createApiHandler>;
  /** The Scheduler schedule of that name in the project's group, if any. */
  schedule(name: string): Record<string, any> | undefined;
  /** The event rule of that name on the project's bus, with its targets, if any. */
  rule(name: string): { readonly rule: RuleDescription; readonly targets: readonly Target[] } | undefined;
  call(method: string, path: string, body?: unknown): Promise<{ statusCode: number; headers: Record<string, unknown>; body: any }>;
  close(): Promise<void>;
}

/**
 * The API with its scheduling routes over dynalite and the Step Functions, Scheduler and EventBridge
 * emulators, a fixed clock (the Scheduler's fake clock stands still, so nothing fires) and more workflows:
 * `capped` (max_jobs 2, max_events 3), `daily_backup`, and `deployed` (max_jobs 2, one declared schedule
 * known only from the registry).
 */
export async function startSchedulingApiStack(): Promise<SchedulingApiStack> {
  const api = await startApiStack();
  for (const name of ['capped', 'daily_backup', 'deployed']) api.engine.register(parkedWorkflow(name));
  const clock = new FakeClock(SCHEDULING_NOW);
  let scheduler: LocalSchedulerService;
  const localScheduler = new LocalScheduler({ clock, dispatch: (fire) => scheduler.fire(fire) });
  scheduler = new LocalSchedulerService({ scheduler: localScheduler, groups: [SCHEDULING_SETTINGS.scheduleGroup], clock, invoke: async () => ({ status: 'started' }) });
  const schedulerServer = await startSchedulerServer({ service: scheduler, recordCalls: true });
  const deliveries: Delivery[] = [];
  const bus = new LocalEventBus({ buses: [SCHEDULING_SETTINGS.eventBus!], clock, invoke: async (delivery) => void deliveries.push(delivery) });
  const eventBridge = await startEventBridgeServer({ bus, recordCalls: true });
  const stores = await createSchedulingStores(api.dynamo.endpoint, () => SCHEDULING_NOW);
  let seq = 0;
  const deps: ApiDeps = {
    ...api.deps,
    workflows: {
      ...TEST_WORKFLOWS,
      capped: { stateMachineArn: stateMachineArn('capped'), mode: 'STANDARD', maxJobs: 2, maxEvents: 3 },
      daily_backup: { stateMachineArn: stateMachineArn('daily_backup'), mode: 'STANDARD', maxJobs: 1000 },
      // Declares one schedule that, as on AWS, is deployed with the stack and not in the store.
      deployed: { stateMachineArn: stateMachineArn('deployed'), mode: 'STANDARD', maxJobs: 2, declaredSchedules: ['deployed.nightly'] },
    },
    clock: () => SCHEDULING_NOW,
    newId: () => `id-${++seq}`,
    scheduling: {
      schedules: stores.schedules,
      flags: stores.flags,
      rateLimiter: stores.rateLimiter,
      scheduler: new SchedulerClient({ endpoint: schedulerServer.url, region: 'us-east-1' }),
      eventBridge: new EventBridgeClient({ endpoint: eventBridge.url, region: 'us-east-1' }),
      settings: SCHEDULING_SETTINGS,
    },
    services: { store: new DynamoDbOrchestrationStore({ client: countingDocumentClient(api.dynamo.endpoint).client, tableName: await createExecutionsTable(api.dynamo.endpoint) }) },
  };
  const handler = createApiHandler(deps);
  return {
    api,
    deps,
    stores,
    scheduler,
    schedulerServer,
    bus,
    eventBridge,
    deliveries,
    handler,
    schedule: (name) => scheduler.list({ groupName: SCHEDULING_SETTINGS.scheduleGroup }).find((s) => s.Name === name),
    rule: (name) => {
      const found = bus.listRules(SCHEDULING_SETTINGS.eventBus).find((r) => r.Name === name);
      return found && { rule: found, targets: bus.listTargets(name, SCHEDULING_SETTINGS.eventBus) };
    },
    call: async (method, path, body) => {
      const event = proxyEvent(method, path, body === undefined ? null : JSON.stringify(body), { 'Content-Type': 'application/json' });
      const response = await handler(event, {} as never);
      return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body ? JSON.parse(response.body) : undefined };
    },
    close: async () => {
      await localScheduler.stop();
      await bus.stop();
      await schedulerServer.close();
      await eventBridge.close();
      await api.close();
    },
  };
}
