import { z } from 'zod';
import { EXECUTION_STATUSES } from './execution-status.ts';

const epochMillis = z.number().int().nonnegative();

/**
 * The EventBridge event Step Functions sends when a Standard execution changes status
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html). Dates are epoch milliseconds;
 * input and output are JSON text, null when larger than the event can carry (`*Details.included`).
 */
export const statusChangeEventSchema = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string().min(1),
    stateMachineArn: z.string().min(1),
    name: z.string().min(1),
    status: z.enum(EXECUTION_STATUSES),
    startDate: epochMillis,
    stopDate: epochMillis.nullish(),
    input: z.string().nullish(),
    output: z.string().nullish(),
    inputDetails: z.object({ included: z.boolean() }).partial().nullish(),
    outputDetails: z.object({ included: z.boolean() }).partial().nullish(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
    redriveCount: z.number().int().nonnegative().nullish(),
  }),
});

export type StatusChangeEvent = z.infer<typeof statusChangeEventSchema>;

export type StatusChangeDetail = StatusChangeEvent['detail'];

export const STATUS_CHANGE_DETAIL_TYPE = 'Step Functions Execution Status Change';
