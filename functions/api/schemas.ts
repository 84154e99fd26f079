import { z } from 'zod';
import { MAX_STATE_MACHINE_NAME_LENGTH } from '../../core/asl/limits.ts';
import { EXECUTION_STATUSES } from '../../core/contracts/execution-status.ts';

/**
 * Execution names as Step Functions accepts them, restricted to the characters it recommends for names
 * that show up in CloudWatch (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
 */
export const executionName = z
  .string()
  .regex(new RegExp(`^[A-Za-z0-9_-]{1,${MAX_STATE_MACHINE_NAME_LENGTH}}$`), `must be 1 to ${MAX_STATE_MACHINE_NAME_LENGTH} letters, digits, "-" or "_"`);

export const startExecutionBody = z
  .object({
    input: z.unknown().optional(),
    name: executionName.optional(),
  })
  .strict();

/** Workflow (state machine) names: at most 80 characters on Step Functions. */
const workflowName = z.string().min(1).max(MAX_STATE_MACHINE_NAME_LENGTH);

export const workflowPath = z.object({ name: workflowName });

/** Any execution name Step Functions could have given (1-80 characters): longer ones cannot exist. */
export const executionPath = z.object({ name: workflowName, id: z.string().min(1).max(MAX_STATE_MACHINE_NAME_LENGTH) });

export const listQuery = z
  .object({
    status: z.enum(EXECUTION_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    nextToken: z.string().min(1).max(4096).optional(),
  })
  .strict();

export const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  nextToken: z.string().min(1).optional(),
  order: z.enum(['oldest', 'newest']).default('oldest'),
});

// ---- scheduling ----

/** Schedule, rule and trigger names: what EventBridge Scheduler and rule names accept, without dots (the id separator). */
export const scheduleName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "-" or "_"');

const flagValue = z.union([z.boolean(), z.string(), z.number()]);

const triggerCondition = z
  .object({
    flag: z.object({ name: z.string().min(1), equals: flagValue.optional() }).strict().optional(),
    match: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((condition) => condition.flag !== undefined || condition.match !== undefined, 'a condition needs "flag", "match" or both');

export const createScheduleBody = z
  .object({
    workflow: z.string().min(1),
    cron: z.string().min(1).optional(),
    rate: z.string().min(1).optional(),
    at: z.string().min(1).optional(),
    /** @default 'UTC' */
    timezone: z.string().min(1).default('UTC'),
    input: z.unknown().optional(),
    name: scheduleName.optional(),
    /** @default true */
    enabled: z.boolean().default(true),
    condition: triggerCondition.optional(),
  })
  .strict()
  .refine((body) => [body.cron, body.rate, body.at].filter((e) => e !== undefined).length === 1, {
    message: 'give exactly one of "cron", "rate" or "at"',
    path: ['cron'],
  });

export const listSchedulesQuery = z.object({ workflow: workflowName.optional() }).strict();

/** `<workflow>.<name>`: a workflow name, a dot and a schedule name. */
export const schedulePath = z.object({ id: z.string().min(1).max(MAX_STATE_MACHINE_NAME_LENGTH + 1 + 64) });

export const publishEventBody = z
  .object({
    // PutEvents refuses sources starting with "aws." (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html).
    source: z.string().min(1).max(256).refine((source) => !source.startsWith('aws.'), 'must not start with "aws." (reserved for AWS services)'),
    detailType: z.string().min(1).max(128),
    detail: z.record(z.string(), z.unknown()),
    bus: z.string().min(1).optional(),
    resources: z.array(z.string()).optional(),
  })
  .strict();

export const flagPath = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, dots, hyphens or underscores'),
});

export const setFlagBody = z.object({ value: flagValue }).strict();

export const eventInputBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event') }).strict(),
  z.object({ kind: z.literal('path'), path: z.string().regex(/^\$(\.[A-Za-z0-9_-]+|\[\d+\])*$/, 'must be a JSONPath like $.detail.id') }).strict(),
  z.object({ kind: z.literal('template'), template: z.unknown() }).strict(),
]);

export const createEventRuleBody = z
  .object({
    workflow: z.string().min(1),
    pattern: z.unknown(),
    name: scheduleName.optional(),
    /** @default the project bus */
    bus: z.string().min(1).optional(),
    /** @default the whole event */
    input: eventInputBody.optional(),
    condition: triggerCondition.optional(),
  })
  .strict();

export const eventRulePath = z.object({ name: z.string().min(1).max(64) });

export const deleteEventRuleQuery = z.object({ bus: z.string().min(1).max(256).optional() }).strict();
