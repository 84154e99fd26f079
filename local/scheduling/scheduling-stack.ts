import { join, relative } from 'node:path';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import type { ScheduleTriggerPlan, EventTriggerPlan } from '../../core/compiler/triggers.ts';
import type { DispatchResult as DispatcherResult } from '../../functions/scheduling/dispatch.ts';
import { type ScheduleStore } from '../../functions/scheduling/schedule-store.ts';
import { type ScheduleRecord } from '../../core/contracts/schedule-record.ts';
import { scheduleIdFor } from '../../core/contracts/schedule-id.ts';
import { eventRuleInputTransformer } from '../../core/contracts/target-input.ts';
import { systemClock, type Clock } from '../clock.ts';
import { workflowOfStateMachineArn } from '../engine/arn.ts';
import { writeJsonFileAtomically } from '../private/json-file.ts';
import type { LocalEngine } from '../engine/local-engine.ts';
import { startEventBridgeServer, type EventBridgeServer } from '../emulators/eventbridge/eventbridge-server.ts';
import { startSchedulerServer, type SchedulerServer } from '../emulators/scheduler/scheduler-server.ts';
import type { Delivery } from '../emulators/eventbridge/delivery-queue.ts';
import { LocalEventBus } from '../emulators/eventbridge/event-bus.ts';
import { settleDowntime, storedStats, type DowntimeReport } from './fire-history.ts';
import { LocalScheduler, type DispatchResult, type LocalFire } from './local-scheduler.ts';
import { isSchedulerFire, LocalSchedulerService, type SchedulerTarget } from '../emulators/scheduler/scheduler-service.ts';

/** The dispatcher Lambda's work, called in-process (functions/scheduling/handler.ts `createDispatcher`). */
export type Dispatcher = (payload: unknown) => Promise<DispatcherResult>;

export interface SchedulingStackProps {
  readonly plans: readonly WorkflowPlan[];
  readonly engine: LocalEngine;
  /** Where the bus and the Scheduler keep their state (`eventbridge/`, `scheduler/`). @default in memory */
  readonly dataDir?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** The project's event bus; event triggers without `bus` use it. @default 'stepflow' */
  readonly eventBusName?: string;
  /** The project's Scheduler group. @default 'stepflow' */
  readonly scheduleGroup?: string;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default 30 (see PrecisionTimer) */
  readonly wakeEarlyMs?: number;
  /** @default 2 (see PrecisionTimer) */
  readonly spinMs?: number;
  /** @default 60 */
  readonly minimumRateSeconds?: number;
  /** Event delivery tries before dead-lettering. @default 5 */
  readonly maxDeliveryAttempts?: number;
  /** First event delivery retry wait. @default 200 */
  readonly retryBaseMs?: number;
  /** @default 0 (free ports) */
  readonly eventBridgePort?: number;
  readonly schedulerPort?: number;
}

/** The variables handlers read to reach the offline EventBridge and Scheduler (set before they load). */
export interface SchedulingEnvironment {
  readonly AWS_ENDPOINT_URL_EVENTBRIDGE: string;
  readonly AWS_ENDPOINT_URL_SCHEDULER: string;
  readonly STEPFLOW_EVENT_BUS: string;
  readonly STEPFLOW_SCHEDULE_GROUP: string;
  readonly STEPFLOW_DISPATCHER_ARN: string;
  readonly STEPFLOW_SCHEDULER_ROLE_ARN: string;
}

/**
 * Scheduling offline, in two steps because the handlers read the environment when they load:
 * `startSchedulingServers` starts EventBridge and Scheduler (their endpoints go into the environment), then
 * `SchedulingServers.activate` gets the dispatcher and the store, upserts the declared schedules, creates a
 * rule per declared event trigger and arms everything.
 */
export interface SchedulingServers {
  readonly scheduler: LocalScheduler;
  readonly bus: LocalEventBus;
  readonly schedulerService: LocalSchedulerService;
  readonly eventBridge: EventBridgeServer;
  readonly schedulerServer: SchedulerServer;
  readonly environment: SchedulingEnvironment;
  activate(deps: { readonly dispatcher: Dispatcher; readonly store: ScheduleStore }): Promise<ActivationReport>;
  /** Disarms, drains in-flight fires and deliveries (undelivered ones are kept for the next start), closes. */
  stop(): Promise<void>;
}

export interface ActivationReport {
  readonly schedules: readonly { readonly scheduleId: string; readonly enabled: boolean; readonly expression: string; readonly timezone: string }[];
  readonly rules: readonly { readonly name: string; readonly bus: string; readonly enabled: boolean }[];
  /** Schedules created through the API that only the store knew of (re-armed from it). */
  readonly fromStore: readonly string[];
  /** Fires the previous run left claimed, and instants that fell while the stack was down. */
  readonly downtime: DowntimeReport;
}

/** The local ARN of the dispatcher: schedules and rules target it, the servers call the dispatcher in-process. */
export function localDispatcherArn(region = 'us-east-1'): string {
  return `arn:aws:lambda:${region}:000000000000:function:stepflow-dispatcher`;
}

export async function startSchedulingServers(props: SchedulingStackProps): Promise<SchedulingServers> {
  const region = props.region ?? 'us-east-1';
  const busName = props.eventBusName ?? 'stepflow';
  const group = props.scheduleGroup ?? 'stepflow';
  const dispatcherArn = localDispatcherArn(region);
  const clock = props.clock ?? systemClock;
  let dispatcher: Dispatcher | undefined;
  let store: ScheduleStore | undefined;
  const records = new Map<string, ScheduleRecord>();

  const requireDispatcher = (): Dispatcher => {
    if (!dispatcher) throw new Error('scheduling is not active yet');
    return dispatcher;
  };

  /** Sends a target's input where its ARN points: the dispatcher in-process, or a state machine. */
  const invokeTarget = async (arn: string, input: string): Promise<DispatchResult> => {
    if (arn === dispatcherArn) return fromDispatcher(await requireDispatcher()(JSON.parse(input)));
    const workflow = workflowOfStateMachineArn(arn);
    if (workflow) {
      await props.engine.start(workflow, parseInput(input));
      return { status: 'started' };
    }
    throw new Error(`target ${arn} is neither the dispatcher nor a state machine of the offline stack`);
  };

  let schedulerService: LocalSchedulerService;
  const scheduler = new LocalScheduler({
    clock,
    wakeEarlyMs: props.wakeEarlyMs,
    spinMs: props.spinMs,
    minimumRateSeconds: props.minimumRateSeconds,
    dispatch: (fire) => (isSchedulerFire(fire) ? schedulerService.fire(fire) : dispatchStored(fire)),
  });
  const dispatchStored = async (fire: LocalFire): Promise<DispatchResult> => {
    const record = records.get(fire.schedule.id);
    if (!record) return { status: 'skipped', reason: 'schedule deleted' };
    return dispatchRecord(record, fire.scheduledTime);
  };
  const dispatchRecord = async (record: ScheduleRecord, scheduledTime: Date): Promise<DispatchResult> => {
    return fromDispatcher(
      await requireDispatcher()({
        kind: 'schedule',
        scheduleId: record.scheduleId,
        workflow: record.workflow,
        input: record.input ?? {},
        ...(record.condition ? { condition: record.condition } : {}),
        scheduledTime: scheduledTime.toISOString(),
      }),
    );
  };
  schedulerService = new LocalSchedulerService({
    scheduler,
    groups: [group],
    region,
    dataDir: props.dataDir ? join(props.dataDir, 'scheduler') : undefined,
    clock,
    invoke: (target: SchedulerTarget, input: string) => invokeTarget(target.Arn, input),
  });
  const bus = new LocalEventBus({
    buses: busName === 'default' ? [] : [busName],
    region,
    clock,
    maxAttempts: props.maxDeliveryAttempts,
    retryBaseMs: props.retryBaseMs,
    dataDir: props.dataDir ? join(props.dataDir, 'eventbridge') : undefined,
    invoke: async (delivery: Delivery) => {
      const result = await invokeTarget(delivery.target.Arn, delivery.payload);
      if (result.status === 'failed') throw Object.assign(new Error(result.reason ?? 'dispatch failed'), { name: 'NonRetriableError' });
    },
  });

  const eventBridge = await startEventBridgeServer({ bus, port: props.eventBridgePort });
  let schedulerServer: SchedulerServer;
  try {
    // Counts come from the store once active: they outlive the process.
    const stats = async () => ({ schedules: store ? await storedStats(store, scheduler.stats()) : scheduler.stats() });
    schedulerServer = await startSchedulerServer({ service: schedulerService, port: props.schedulerPort, stats });
  } catch (error) {
    await eventBridge.close();
    throw error;
  }

  const environment: SchedulingEnvironment = {
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.url,
    AWS_ENDPOINT_URL_SCHEDULER: schedulerServer.url,
    STEPFLOW_EVENT_BUS: busName,
    STEPFLOW_SCHEDULE_GROUP: group,
    STEPFLOW_DISPATCHER_ARN: dispatcherArn,
    STEPFLOW_SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/stepflow-scheduler',
  };

  let active = false;
  return {
    scheduler,
    bus,
    schedulerService,
    eventBridge,
    schedulerServer,
    environment,
    async activate(deps) {
      dispatcher = deps.dispatcher;
      store = deps.store;
      active = true;
      const schedules: { scheduleId: string; enabled: boolean; expression: string; timezone: string }[] = [];
      const rules: { name: string; bus: string; enabled: boolean }[] = [];
      const now = new Date(clock.now()).toISOString();
      for (const plan of props.plans) {
        for (const trigger of plan.triggers) {
          if (trigger.kind === 'schedule') {
            const record = declaredRecord(plan, trigger, now);
            await store.put(record);
            records.set(record.scheduleId, record);
            armRecord(scheduler, record);
            schedules.push({ scheduleId: record.scheduleId, enabled: record.enabled, expression: record.expression, timezone: record.timezone });
          } else {
            const rule = declaredRule(plan, trigger, busName);
            bus.putRule({ Name: rule.name, EventBusName: rule.bus, EventPattern: JSON.stringify(trigger.pattern), State: rule.enabled ? 'ENABLED' : 'DISABLED', Description: `${plan.name} trigger ${trigger.name}` }, { declared: true, save: false });
            bus.putTargets(rule.name, rule.bus, [
              {
                Id: 'dispatcher',
                Arn: dispatcherArn,
                InputTransformer: eventRuleInputTransformer({
                  trigger: trigger.name,
                  workflow: plan.name,
                  eventInput: trigger.input,
                  ...(trigger.condition ? { condition: trigger.condition } : {}),
                }),
              },
            ]);
            rules.push(rule);
          }
        }
      }
      await bus.load();
      await schedulerService.load();
      // API-created schedules are the Scheduler's to fire; one the Scheduler lost is re-armed from the
      // store (claimFire keeps the two from both firing an instant).
      const fromStore: string[] = [];
      const viaScheduler = new Set(schedulerService.list().map((s) => s.Target.Input ?? ''));
      for (const record of await store.list()) {
        if (record.origin !== 'api' || records.has(record.scheduleId)) continue;
        if ([...viaScheduler].some((input) => input.includes(JSON.stringify(record.scheduleId)))) continue;
        if (!props.plans.some((p) => p.name === record.workflow)) continue;
        records.set(record.scheduleId, record);
        armRecord(scheduler, record);
        fromStore.push(record.scheduleId);
      }
      const triggerIds = props.plans.flatMap((p) => p.triggers.filter((t) => t.kind === 'event').map((t) => scheduleIdFor(p.name, t.name)));
      const served = (await store.list()).filter((r) => props.plans.some((p) => p.name === r.workflow));
      const downtime = await settleDowntime(served, triggerIds, {
        store,
        engine: props.engine,
        now: new Date(clock.now()),
        dispatchLate: (record, scheduledTime) => dispatchRecord(record, scheduledTime),
      });
      return { schedules, rules, fromStore, downtime };
    },
    async stop() {
      await scheduler.stop();
      if (active) await bus.stop();
      await schedulerService.flush();
      await schedulerServer.close();
      await eventBridge.close();
    },
  };
}

/** Writes the local endpoints next to the data, for `stepflow schedules` to find a running stack. */
export async function writeEndpoints(dataDir: string, endpoints: Record<string, string>): Promise<void> {
  await writeJsonFileAtomically(join(dataDir, 'endpoints.json'), endpoints, { pretty: true });
}

/** A declared schedule as the store keeps it; disabled by its trigger or by `task_scheduling.cron.enabled: false`. */
function declaredRecord(plan: WorkflowPlan, trigger: ScheduleTriggerPlan, createdAt: string): ScheduleRecord {
  return {
    scheduleId: scheduleIdFor(plan.name, trigger.name),
    workflow: plan.name,
    expression: trigger.expression,
    timezone: trigger.timezone,
    input: trigger.input ?? {},
    enabled: trigger.enabled && plan.scheduling.cronEnabled,
    ...(trigger.catchup ? { catchup: true } : {}),
    origin: 'declared',
    ...(trigger.condition ? { condition: trigger.condition } : {}),
    // Relative to the project: answers never show a path of this machine.
    source: relative(process.cwd(), plan.file),
    createdAt,
  };
}

function declaredRule(plan: WorkflowPlan, trigger: EventTriggerPlan, projectBus: string): { name: string; bus: string; enabled: boolean } {
  return {
    name: `${plan.name}-${trigger.name}`.replace(/[^.\-_A-Za-z0-9]/g, '-').slice(0, 64),
    bus: trigger.bus ?? projectBus,
    enabled: trigger.enabled && plan.scheduling.eventEnabled,
  };
}

function armRecord(scheduler: LocalScheduler, record: ScheduleRecord): void {
  scheduler.upsert({ id: record.scheduleId, workflow: record.workflow, expression: record.expression, timezone: record.timezone, enabled: record.enabled, start: new Date(record.createdAt) });
}

function fromDispatcher(result: DispatcherResult): DispatchResult {
  switch (result.outcome) {
    case 'started':
      return { status: 'started' };
    case 'duplicate':
      return { status: 'duplicate' };
    case 'skipped':
      return { status: 'skipped', reason: result.reason };
    case 'failed':
      return { status: 'failed', reason: result.reason };
  }
}

function parseInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // a non-JSON template result reaches the workflow as a string
  }
}
