import { parseSchedule, isValidTimeZone } from '../scheduling/aws-cron.ts';
import { validateEventPattern } from '../scheduling/event-pattern.ts';
import type { DefinitionPath, DiagnosticCode, Severity } from './diagnostics.ts';
import type { EventInput, SchedulingLimits, TriggerCondition, TriggerDefinition } from './model.ts';
import type { DefinitionFile, TaskSchedulingSpec, TriggerSpec } from './schema.ts';

type Report = (code: DiagnosticCode, path: DefinitionPath, message: string, severity?: Severity) => void;

/** Rates under a minute are refused by EventBridge: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html */
const MINIMUM_RATE_SECONDS = 60;
/** Lambda memory and ephemeral storage bounds: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html */
const LAMBDA_MEMORY_MB = { min: 128, max: 10_240 };
const LAMBDA_STORAGE_MB = { min: 512, max: 10_240 };
/** Lambda allocates CPU in proportion to memory: one vCPU at 1,769 MB (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). */
const MB_PER_VCPU = 1769;
const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;
const TEMPLATE_PLACEHOLDER = /<(\$[^<>]*)>/g;

export function validateTriggers(spec: DefinitionFile, report: Report): void {
  const triggers = spec.workflow.triggers ?? [];
  const scheduling = spec.task_scheduling;
  const names = new Map<string, number>();
  triggers.forEach((trigger, i) => {
    const at = (...rest: (string | number)[]) => ['workflow', 'triggers', i, ...rest];
    const name = triggerName(trigger, i);
    if (names.has(name)) report('duplicate_name', at('name'), `duplicate trigger name "${name}" (first used at triggers[${names.get(name)}])`);
    else names.set(name, i);

    if (!!trigger.cron === !!trigger.event) {
      report('invalid_trigger', at(), 'a trigger needs exactly one of "cron" or "event"');
    } else if (trigger.cron !== undefined) {
      validateSchedule(trigger, scheduling, at, report);
    } else {
      validateEvent(trigger, at, report);
    }
    if (trigger.condition) validateCondition(trigger.condition, at('condition'), report);
  });

  const schedules = triggers.filter((t) => t.cron !== undefined).length;
  const maxJobs = scheduling?.cron?.max_jobs;
  if (maxJobs !== undefined && schedules > maxJobs) {
    report('value_out_of_range', ['task_scheduling', 'cron', 'max_jobs'], `max_jobs is ${maxJobs} but the workflow declares ${schedules} schedules`);
  }
  if (scheduling?.cron?.timezone && !isValidTimeZone(scheduling.cron.timezone)) {
    report('unknown_timezone', ['task_scheduling', 'cron', 'timezone'], `unknown time zone "${scheduling.cron.timezone}" (use an IANA name such as Europe/Paris)`);
  }
  (scheduling?.event?.event_sources ?? []).forEach((source, j) => {
    if (!/^(eventbridge|aws\.events)$/i.test(source)) {
      report('unsupported_event_source', ['task_scheduling', 'event', 'event_sources', j],
        `event source "${source}" is not connected by stepflow: publish its events to the EventBridge bus (for example with EventBridge Pipes) and match them with an event trigger`, 'warning');
    }
  });
  validateResources(scheduling?.resources, report);
}

function validateSchedule(trigger: TriggerSpec, scheduling: TaskSchedulingSpec | undefined, at: (...rest: (string | number)[]) => DefinitionPath, report: Report) {
  const timezone = trigger.timezone ?? scheduling?.cron?.timezone ?? 'UTC';
  if (trigger.timezone !== undefined && !isValidTimeZone(trigger.timezone)) {
    report('unknown_timezone', at('timezone'), `unknown time zone "${trigger.timezone}" (use an IANA name such as Europe/Paris)`);
  }
  const parsed = parseSchedule(trigger.cron!, { minimumRateSeconds: MINIMUM_RATE_SECONDS, timezone: isValidTimeZone(timezone) ? timezone : 'UTC' });
  for (const problem of parsed.problems) report('invalid_schedule', at('cron'), `invalid schedule "${trigger.cron}": ${problem.message}`);
  if (parsed.ok && parsed.schedule.kind === 'cron' && parsed.schedule.syntax === 'unix' && !parsed.schedule.domAndDow) {
    const [, , dom, , dow] = trigger.cron!.trim().split(/\s+/);
    if (dom !== '*' && dow !== '*') {
      report('invalid_schedule', at('cron'), `"${trigger.cron}" restricts both day-of-month and day-of-week, which AWS cron cannot express; write cron(...) with ? in one of them`);
    }
  }
}

function validateEvent(trigger: TriggerSpec, at: (...rest: (string | number)[]) => DefinitionPath, report: Report) {
  const event = trigger.event!;
  for (const problem of validateEventPattern(event.pattern)) {
    report('invalid_event_pattern', at('event', 'pattern', ...problem.path), `invalid event pattern: ${problem.message}`);
  }
  if (event.bus !== undefined && !BUS_NAME.test(event.bus)) {
    report('invalid_name', at('event', 'bus'), `event bus name "${event.bus}" must be 1-256 letters, digits, dots, hyphens or underscores`);
  }
  if (trigger.timezone !== undefined) report('invalid_trigger', at('timezone'), 'timezone applies to cron triggers only');
  if (trigger.catchup !== undefined) report('invalid_trigger', at('catchup'), 'catchup applies to cron triggers only');
  if (trigger.input !== undefined) report('invalid_trigger', at('input'), 'an event trigger takes its input from the event: use event.input');
  const input = event.input;
  if (input && typeof input === 'object' && 'template' in input) {
    for (const path of placeholders(input.template)) {
      if (!/^\$(\.[A-Za-z0-9_-]+)*$/.test(path)) report('invalid_value', at('event', 'input', 'template'), `template placeholder <${path}> must be a JSONPath like <$.detail.id>`);
    }
  }
}

function validateCondition(condition: NonNullable<TriggerSpec['condition']>, path: DefinitionPath, report: Report) {
  if (!condition.flag && !condition.match) report('invalid_value', path, 'a condition needs "flag", "match" or both');
  if (condition.match) {
    for (const problem of validateEventPattern(condition.match)) {
      report('invalid_event_pattern', [...path, 'match', ...problem.path], `invalid condition pattern: ${problem.message}`);
    }
  }
}

function validateResources(resources: TaskSchedulingSpec['resources'], report: Report) {
  if (!resources) return;
  const at = (field: string) => ['task_scheduling', 'resources', field];
  if (resources.memory_limit !== undefined) {
    const mb = megabytes(resources.memory_limit);
    if (mb === undefined) report('invalid_value', at('memory_limit'), `memory_limit must be a size like 512Mi or 4Gi, got ${JSON.stringify(resources.memory_limit)}`);
    else if (mb < LAMBDA_MEMORY_MB.min || mb > LAMBDA_MEMORY_MB.max) report('value_out_of_range', at('memory_limit'), `memory_limit must be between 128Mi and 10Gi (Lambda's range), got ${resources.memory_limit}`);
  }
  if (resources.disk_limit !== undefined) {
    const mb = megabytes(resources.disk_limit);
    if (mb === undefined) report('invalid_value', at('disk_limit'), `disk_limit must be a size like 512Mi or 10Gi, got ${JSON.stringify(resources.disk_limit)}`);
    else if (mb < LAMBDA_STORAGE_MB.min || mb > LAMBDA_STORAGE_MB.max) report('value_out_of_range', at('disk_limit'), `disk_limit must be between 512Mi and 10Gi (Lambda's range), got ${resources.disk_limit}`);
  }
  if (resources.cpu_limit !== undefined) {
    const cpus = Number(resources.cpu_limit);
    if (!(cpus > 0)) report('invalid_value', at('cpu_limit'), `cpu_limit must be a positive number of vCPUs, got ${JSON.stringify(resources.cpu_limit)}`);
    else if (cpus > 6) report('value_out_of_range', at('cpu_limit'), `cpu_limit must be at most 6 (Lambda's most vCPUs), got ${resources.cpu_limit}`);
  }
}

export function normaliseTriggers(spec: DefinitionFile): TriggerDefinition[] {
  const defaultZone = spec.task_scheduling?.cron?.timezone ?? 'UTC';
  return (spec.workflow.triggers ?? []).map((t, i): TriggerDefinition => {
    const condition: TriggerCondition | undefined = t.condition
      ? { ...(t.condition.flag ? { flag: { name: t.condition.flag.name, equals: t.condition.flag.equals ?? true } } : {}), ...(t.condition.match ? { match: t.condition.match } : {}) }
      : undefined;
    const common = { name: triggerName(t, i), enabled: t.enabled ?? true, ...(condition ? { condition } : {}) };
    if (t.cron !== undefined) {
      return { kind: 'schedule', ...common, expression: t.cron.trim(), timezone: t.timezone ?? defaultZone, input: t.input ?? {}, ...(t.catchup ? { catchup: true } : {}) };
    }
    return { kind: 'event', ...common, pattern: t.event!.pattern, bus: t.event!.bus, input: eventInput(t.event!.input) };
  });
}

export function normaliseScheduling(spec: DefinitionFile): SchedulingLimits {
  const s = spec.task_scheduling;
  const memory = s?.resources?.memory_limit !== undefined ? megabytes(s.resources.memory_limit) : undefined;
  const cpuMemory = s?.resources?.cpu_limit !== undefined ? Math.ceil(Number(s.resources.cpu_limit) * MB_PER_VCPU) : undefined;
  const taskMemory = memory ?? cpuMemory;
  return {
    cronEnabled: s?.cron?.enabled ?? true,
    eventEnabled: s?.event?.enabled ?? true,
    maxJobs: s?.cron?.max_jobs,
    maxEvents: s?.event?.max_events,
    // The larger of the memory asked for and the memory that brings the CPU asked for, within Lambda's range.
    taskMemoryMb: taskMemory === undefined ? undefined : Math.min(LAMBDA_MEMORY_MB.max, Math.max(taskMemory, cpuMemory ?? 0, LAMBDA_MEMORY_MB.min)),
    taskEphemeralStorageMb: s?.resources?.disk_limit !== undefined ? megabytes(s.resources.disk_limit) : undefined,
  };
}

function triggerName(trigger: TriggerSpec, index: number): string {
  return trigger.name ?? `trigger_${index}`;
}

function eventInput(input: NonNullable<TriggerSpec['event']>['input']): EventInput {
  if (input === undefined || input === 'event') return { kind: 'event' };
  if ('path' in input) return { kind: 'path', path: input.path };
  return { kind: 'template', template: input.template };
}

/** `<$.detail.x>` placeholders anywhere in a template. */
export function placeholders(template: unknown): string[] {
  if (typeof template === 'string') return [...template.matchAll(TEMPLATE_PLACEHOLDER)].map((m) => m[1]);
  if (Array.isArray(template)) return template.flatMap(placeholders);
  if (template && typeof template === 'object') return Object.values(template).flatMap(placeholders);
  return [];
}

/** Kubernetes-style sizes (512Mi, 4Gi, 1G, 300M) or plain megabytes, in MB. */
function megabytes(size: string | number): number | undefined {
  if (typeof size === 'number') return size;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(Mi|Gi|M|G|MB|GB)?\s*$/.exec(size);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? 'Mi';
  return Math.round(unit.startsWith('G') ? value * 1024 : value);
}
