import { startWorkflowExecution, type StartDeps } from '../executions/start-workflow-execution.ts';
import { Conflict, HttpError } from '../../core/errors.ts';
import { errorFields, type Logger } from '../shared/logger.ts';
import { compileEventPattern, type EventMatcher } from '../../core/scheduling/event-pattern.ts';
import type { FlagValue, TriggerCondition } from '../../core/contracts/trigger-condition.ts';
import { fireExecutionName } from './execution-name.ts';
import type { FlagStore } from './flag-store.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { type ScheduleStore } from './schedule-store.ts';
import { type FireRecord } from '../../core/contracts/schedule-record.ts';
import { scheduleIdFor } from '../../core/contracts/schedule-id.ts';

/** What the dispatcher needs: the API's start path plus the scheduling stores. */
export interface DispatchDeps extends StartDeps {
  readonly schedules: ScheduleStore;
  readonly flags: FlagStore;
  /** Caps event-triggered starts per workflow and minute (`maxEvents`). @default no cap */
  readonly rateLimiter?: RateLimiter;
  /** @default no logging */
  readonly logger?: Logger;
}

/** One fire of a schedule or of an event trigger. */
export interface Fire {
  /** The schedule's id; for event triggers `<workflow>.<triggerName>` when absent. */
  readonly scheduleId?: string;
  /** The trigger's name (event triggers; schedules may give it for `match` conditions). */
  readonly triggerName?: string;
  readonly workflow: string;
  /** When the fire was due; for events, the event's `time`. */
  readonly scheduledTime: Date;
  /** The execution input (for events, already shaped with `applyEventInput`). */
  readonly input: unknown;
  readonly condition?: TriggerCondition;
  /** The EventBridge event, for event triggers. */
  readonly event?: Readonly<Record<string, unknown>>;
}

export type DispatchResult =
  /** The slot was claimed before, or an earlier attempt started its execution: nothing started now. */
  | { readonly outcome: 'duplicate'; readonly scheduleId: string; readonly executionId?: string }
  | { readonly outcome: 'skipped'; readonly scheduleId: string; readonly reason: string }
  | { readonly outcome: 'started'; readonly scheduleId: string; readonly executionId: string; readonly latenessMs: number }
  /** Could not start and retrying cannot help (unknown workflow, input against the schema...). */
  | { readonly outcome: 'failed'; readonly scheduleId: string; readonly reason: string };

/**
 * Handles one fire: claims its slot (a claimed slot is a duplicate: nothing starts), checks the condition
 * (skipped with a reason), then starts the execution under a name derived from the schedule id and the
 * scheduled time, through the same path the API's `POST /workflows/{name}/executions` takes, and records
 * the outcome with its lateness. A failure worth retrying (Step Functions or DynamoDB unavailable) is
 * recorded as `failed` and thrown, so the invoker retries and the retry may claim the slot again.
 */
export async function dispatchFire(deps: DispatchDeps, fire: Fire): Promise<DispatchResult> {
  const scheduleId = fire.scheduleId ?? scheduleIdFor(fire.workflow, fire.triggerName ?? 'trigger');
  const scheduledTime = fire.scheduledTime.toISOString();
  const actual = deps.clock();
  const eventId = typeof fire.event?.id === 'string' ? fire.event.id : undefined;
  const base = {
    scheduleId,
    scheduledTime,
    actualTime: actual.toISOString(),
    latenessMs: actual.getTime() - fire.scheduledTime.getTime(),
    ...(eventId !== undefined ? { eventId } : {}),
  };
  const record = (fields: Pick<FireRecord, 'outcome' | 'reason' | 'executionId'>) => deps.schedules.recordFire({ ...base, ...fields });

  if (!(await deps.schedules.claimFire(base))) {
    deps.logger?.('info', 'fire already claimed', { scheduleId, scheduledTime, eventId });
    return { outcome: 'duplicate', scheduleId };
  }

  try {
    return await afterClaim(deps, fire, scheduleId, base, record);
  } catch (error) {
    // The slot is claimed: without a `failed` record every retry within the claim lease would be taken
    // for a duplicate and the fire lost. Record it if the store lets us, then let the invoker retry.
    if (!(error instanceof HttpError)) {
      await record({ outcome: 'failed', reason: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
      deps.logger?.('error', 'fire failed', { scheduleId, scheduledTime, ...errorFields(error) });
    }
    throw error;
  }
}

type FireBase = { readonly scheduleId: string; readonly scheduledTime: string; readonly actualTime: string; readonly latenessMs: number; readonly eventId?: string };

/** Condition, rate limit and start of a fire whose slot this attempt has claimed. */
async function afterClaim(
  deps: DispatchDeps,
  fire: Fire,
  scheduleId: string,
  base: FireBase,
  record: (fields: Pick<FireRecord, 'outcome' | 'reason' | 'executionId'>) => Promise<unknown>,
): Promise<DispatchResult> {
  const reason = await conditionFailure(deps, fire, scheduleId);
  if (reason !== undefined) {
    await record({ outcome: 'skipped', reason });
    return { outcome: 'skipped', scheduleId, reason };
  }

  const maxEvents = fire.event ? deps.workflows[fire.workflow]?.maxEvents : undefined;
  if (maxEvents !== undefined && deps.rateLimiter) {
    const decision = await deps.rateLimiter.tryAcquire(`events#${fire.workflow}`, maxEvents, new Date(base.actualTime));
    if (!decision.admitted) {
      const limited = `max_events ${maxEvents} per minute reached for workflow ${fire.workflow}`;
      await record({ outcome: 'skipped', reason: limited });
      return { outcome: 'skipped', scheduleId, reason: limited };
    }
  }

  const executionId = fireExecutionName(scheduleId, fire.scheduledTime, base.eventId);
  try {
    const started = await startWorkflowExecution(deps, fire.workflow, fire.input ?? {}, executionId);
    if (started.status === 'existing') {
      await record({ outcome: 'started', executionId, reason: 'started by an earlier attempt of this fire' });
      return { outcome: 'duplicate', scheduleId, executionId };
    }
    await record({ outcome: 'started', executionId });
    return { outcome: 'started', scheduleId, executionId, latenessMs: base.latenessMs };
  } catch (error) {
    if (error instanceof Conflict) {
      // The deterministic name is taken: an earlier attempt of this very fire started it.
      await record({ outcome: 'started', executionId, reason: 'started by an earlier attempt of this fire' });
      return { outcome: 'duplicate', scheduleId, executionId };
    }
    if (error instanceof HttpError) {
      // Retrying cannot help (unknown workflow, input against the schema): recorded, not thrown.
      const message = error.message;
      await record({ outcome: 'failed', reason: message });
      return { outcome: 'failed', scheduleId, reason: message };
    }
    throw error;
  }
}

/** Why the fire must be skipped, or undefined when its condition holds (or it has none). */
async function conditionFailure(deps: DispatchDeps, fire: Fire, scheduleId: string): Promise<string | undefined> {
  const condition = fire.condition;
  if (!condition) return undefined;
  if (condition.flag) {
    const { name } = condition.flag;
    const wanted = condition.flag.equals ?? true;
    const value = await deps.flags.getFlag(name);
    if (value === undefined) return `flag ${name} is not set`;
    if (value !== wanted) return wanted === true ? `flag ${name} is ${show(value)}` : `flag ${name} is ${show(value)}, not ${show(wanted)}`;
  }
  if (condition.match) {
    const subject = fire.event ?? {
      time: fire.scheduledTime.toISOString(),
      trigger: fire.triggerName ?? scheduleId.slice(scheduleId.lastIndexOf('.') + 1),
      workflow: fire.workflow,
    };
    if (!matcher(condition.match)(subject)) {
      return fire.event ? 'event does not match the condition' : 'schedule fire does not match the condition';
    }
  }
  return undefined;
}

function show(value: FlagValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Compiled patterns by their JSON text: a warm dispatcher compiles each condition once. */
const matchers = new Map<string, EventMatcher>();

function matcher(pattern: Record<string, unknown>): EventMatcher {
  const key = JSON.stringify(pattern);
  let compiled = matchers.get(key);
  if (!compiled) {
    compiled = compileEventPattern(pattern);
    matchers.set(key, compiled);
  }
  return compiled;
}
