/**
 * Trigger conditions and event inputs as the dispatcher receives them. The same shapes as the
 * definition model's `TriggerCondition` and `EventInput` (infra/definition/model.ts), declared here
 * because functions/ does not import infra/.
 */

/** A value a state flag holds (`PUT /flags/{name}`). */
export type FlagValue = boolean | string | number;

/** Checked at fire time; a fire that fails it is skipped and recorded with the reason. */
export interface TriggerCondition {
  /** A state flag that must equal `equals`. @default equals true */
  readonly flag?: { readonly name: string; readonly equals?: FlagValue };
  /** An EventBridge event pattern the fire must match: the event, or `{ time, trigger, workflow }` for schedules. */
  readonly match?: Record<string, unknown>;
}

/** How an event becomes the execution input (EventBridge's Input / InputPath / InputTransformer). */
export type EventInput =
  | { readonly kind: 'event' }
  | { readonly kind: 'path'; readonly path: string }
  /** Strings `<$.detail.x>` inside are replaced by the value at that path. */
  | { readonly kind: 'template'; readonly template: unknown };
