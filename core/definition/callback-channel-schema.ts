import { z } from 'zod';

/** Source of callback events when the definition sets none (EventBridge refuses sources starting `aws.`). */
export const DEFAULT_CALLBACK_EVENT_SOURCE = 'stepflow.callback';

export const callbackEventSchema = z
  .strictObject({
    bus: z.string().min(1).optional().describe('`default`, an event bus name or ARN. @default the project bus'),
    source: z.string().min(1).optional().describe(`The event's source. @default ${DEFAULT_CALLBACK_EVENT_SOURCE}`),
    detail_type: z.string().min(1).optional().describe('The event\'s detail-type. @default <workflow>.<task>'),
  })
  .describe('For `via: event`: where the callback event goes; its detail is the task event with `token`');

export const callbackQueueSchema = z.string().min(1)
  .describe('For `via: sqs`: an existing queue\'s URL or ARN. @default a queue the stack creates for the task');
