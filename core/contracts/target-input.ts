import type { EventInput, TriggerCondition } from './trigger-condition.ts';

/*
 * The payloads EventBridge rules and EventBridge Scheduler hand the dispatcher Lambda, built in one place so
 * the CDK constructs, the API and the offline stack agree with the handler's schemas (handler.ts).
 *
 * Constant parts are JSON with `<` and `>` escaped as \u003c / \u003e: EventBridge reads every `<name>` in
 * an InputTemplate as a variable and those characters "cannot be escaped" otherwise
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html), while JSON
 * escapes parse back to the same strings.
 */

/** What a schedule's target carries besides the scheduled time. */
export interface ScheduleTarget {
  readonly scheduleId: string;
  readonly workflow: string;
  readonly input: unknown;
  readonly condition?: TriggerCondition;
}

/** What an event rule's target carries besides the event. */
export interface EventTarget {
  /** The trigger's name; the fire records go under `<workflow>.<trigger>`. */
  readonly trigger: string;
  readonly workflow: string;
  /** @default the whole event */
  readonly eventInput?: EventInput;
  readonly condition?: TriggerCondition;
}

/** An EventBridge target InputTransformer, with the CloudFormation / SDK field names. */
export interface InputTransformer {
  readonly InputPathsMap: Record<string, string>;
  readonly InputTemplate: string;
}

/**
 * The Input of an EventBridge Scheduler target: Scheduler replaces `<aws.scheduler.scheduled-time>` with
 * the fire's scheduled time before invoking the target
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html).
 */
export function schedulerTargetInput(target: ScheduleTarget): string {
  return `{"kind":"schedule",${constantFields(target)},"scheduledTime":"<aws.scheduler.scheduled-time>"}`;
}

/**
 * The InputTransformer of a scheduled EventBridge rule's target: the rule's "Scheduled Event" carries the
 * scheduled minute as its `time` (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html),
 * taken with an InputPathsMap variable (a string value placed outside quotes is inserted as a JSON string).
 */
export function scheduleRuleInputTransformer(target: ScheduleTarget): InputTransformer {
  return {
    InputPathsMap: { time: '$.time' },
    InputTemplate: `{"kind":"schedule",${constantFields(target)},"scheduledTime":<time>}`,
  };
}

/**
 * The InputTransformer of an event rule's target: the constant trigger settings and the whole event,
 * `<aws.events.event.json>` (the full event with `detail`; `<aws.events.event>` leaves `detail` out).
 */
export function eventRuleInputTransformer(target: EventTarget): InputTransformer {
  return {
    InputPathsMap: {},
    InputTemplate: `{"kind":"event",${constantFields(target)},"event":<aws.events.event.json>}`,
  };
}

/** The target's fields as JSON object members (no braces), angle brackets escaped. */
function constantFields(target: object): string {
  const json = JSON.stringify(target).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return json.slice(1, -1);
}
