import { z } from 'zod';

/*
 * The payloads the dispatcher Lambda accepts (built by target-input.ts):
 * - `{ kind: 'schedule', scheduleId, workflow, input?, condition?, scheduledTime }` from EventBridge Scheduler
 *   (`scheduledTime` = `<aws.scheduler.scheduled-time>`) and from scheduled rules (`scheduledTime` = the
 *   Scheduled Event's `time`); instead of `scheduledTime` a rule may pass the event, whose `time` is used;
 * - `{ kind: 'event', trigger, workflow, event, eventInput?, condition? }` from event rules.
 */

const jsonObject = z.record(z.string(), z.unknown());
const flagValue = z.union([z.boolean(), z.string(), z.number()]);
const isoTime = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO 8601 time');

export const triggerConditionSchema = z
  .object({
    flag: z.object({ name: z.string().min(1), equals: flagValue.optional() }).optional(),
    match: jsonObject.optional(),
  })
  .strict();

export const eventInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event') }),
  z.object({ kind: z.literal('path'), path: z.string().startsWith('$') }),
  z.object({ kind: z.literal('template'), template: z.unknown() }),
]);

const name = z.string().min(1);

export const scheduleFirePayload = z
  .object({
    kind: z.literal('schedule'),
    scheduleId: name,
    workflow: name,
    input: z.unknown().optional(),
    condition: triggerConditionSchema.optional(),
    scheduledTime: isoTime.optional(),
    event: z.object({ time: isoTime }).loose().optional(),
  })
  .refine((payload) => payload.scheduledTime !== undefined || payload.event !== undefined, {
    message: 'needs scheduledTime, or the scheduled event with its time',
    path: ['scheduledTime'],
  });

export const eventFirePayload = z.object({
  kind: z.literal('event'),
  trigger: name,
  workflow: name,
  event: z.object({ id: z.string().min(1), time: isoTime }).loose(),
  eventInput: eventInputSchema.optional(),
  condition: triggerConditionSchema.optional(),
});

export const dispatcherPayload = z.union([scheduleFirePayload, eventFirePayload]);

export type ScheduleFirePayload = z.output<typeof scheduleFirePayload>;
export type EventFirePayload = z.output<typeof eventFirePayload>;
export type DispatcherPayload = z.output<typeof dispatcherPayload>;
