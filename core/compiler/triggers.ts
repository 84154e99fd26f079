import { DefinitionError } from '../errors.ts';
import { InvalidScheduleError } from '../scheduling/errors.ts';
import { toAwsExpression } from '../scheduling/aws-expression.ts';
import { parseSchedule } from '../scheduling/aws-cron.ts';
import type { EventInput, EventTrigger, ScheduleTrigger, TriggerDefinition } from '../definition/model.ts';
import { placeholders } from '../definition/triggers.ts';

/** A schedule as EventBridge takes it. */
export interface ScheduleTriggerPlan extends ScheduleTrigger {
  /** `cron(...)`, `rate(...)` or `at(...)`, as EventBridge and Scheduler read it. */
  readonly awsExpression: string;
  /**
   * EventBridge rules run in UTC only; a time zone or a one-time `at()` needs EventBridge Scheduler
   * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
   */
  readonly via: 'rule' | 'scheduler';
}

/** EventBridge target input settings: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html */
export interface EventTriggerPlan extends EventTrigger {
  readonly inputPath?: string;
  readonly inputTransformer?: { readonly inputPathsMap: Record<string, string>; readonly inputTemplate: string };
}

export type TriggerPlan = ScheduleTriggerPlan | EventTriggerPlan;

export function compileTriggers(triggers: readonly TriggerDefinition[]): TriggerPlan[] {
  return triggers.map((t) => (t.kind === 'schedule' ? compileSchedule(t) : compileEvent(t)));
}

function compileSchedule(trigger: ScheduleTrigger): ScheduleTriggerPlan {
  const parsed = parseSchedule(trigger.expression, { timezone: trigger.timezone });
  if (!parsed.ok) {
    // Validation reports it first: only a definition that skipped validation gets here.
    throw new DefinitionError(`invalid schedule "${trigger.expression}" reached the compiler`, { cause: new InvalidScheduleError(parsed.problems) });
  }
  const awsExpression = toAwsExpression(parsed.schedule);
  const via = parsed.schedule.kind === 'at' || trigger.timezone !== 'UTC' ? 'scheduler' : 'rule';
  return { ...trigger, awsExpression, via };
}

function compileEvent(trigger: EventTrigger): EventTriggerPlan {
  const input: EventInput = trigger.input;
  if (input.kind === 'path') return { ...trigger, inputPath: input.path };
  if (input.kind === 'template') return { ...trigger, inputTransformer: inputTransformer(input.template) };
  return trigger;
}

/**
 * A template with `<$.path>` placeholders → InputPathsMap + InputTemplate. A string that is exactly one
 * placeholder becomes the JSON value at that path; placeholders inside longer strings are spliced in.
 */
function inputTransformer(template: unknown): { inputPathsMap: Record<string, string>; inputTemplate: string } {
  const names = new Map<string, string>();
  for (const path of placeholders(template)) if (!names.has(path)) names.set(path, `p${names.size}`);
  const marker = (path: string) => `\u0000${names.get(path)}\u0000`;
  const replaced = JSON.stringify(template, (_, value) => {
    if (typeof value !== 'string') return value;
    const whole = /^<(\$[^<>]*)>$/.exec(value);
    return whole ? marker(whole[1]) : value.replace(/<(\$[^<>]*)>/g, (_m, path: string) => `<${names.get(path)}>`);
  });
  const inputTemplate = replaced.replace(/"\\u0000(p\d+)\\u0000"/g, '<$1>');
  return { inputPathsMap: Object.fromEntries([...names].map(([path, name]) => [name, path])), inputTemplate };
}
