import { z } from 'zod';
import { parseDuration } from './duration.ts';

/**
 * The definition language, as written in `definitions/*.yaml`. Unknown keys are errors (a typo such as
 * `depend_on` is reported, not ignored). The JSON Schema for editors is generated from this file.
 */

/** `300s`, `5m`, `1h` or plain seconds. */
export const durationSchema = z
  .union([z.number(), z.string()])
  .refine((v) => parseDuration(v) !== undefined, {
    error: (issue) => `invalid duration ${JSON.stringify(issue.input)}: use 300s, 5m, 1h or plain seconds`,
  })
  .describe('A duration: `300s`, `5m`, `1h`, `1d` or plain seconds');

const positiveInt = (field: string, max = Number.MAX_SAFE_INTEGER) =>
  z.number().int({ error: (i) => `${field} must be a whole number, got ${JSON.stringify(i.input)}` })
    .min(1, { error: (i) => `${field} must be at least 1, got ${JSON.stringify(i.input)}` })
    .max(max, { error: (i) => `${field} must be at most ${max}, got ${JSON.stringify(i.input)}` });

const retryCount = (field: string) =>
  z.number().int({ error: (i) => `${field} must be a whole number, got ${JSON.stringify(i.input)}` })
    .min(0, { error: (i) => `${field} must be 0 or more, got ${JSON.stringify(i.input)}` })
    // Step Functions' Retry MaxAttempts ceiling.
    .max(99_999_999, { error: (i) => `${field} must be at most 99999999, got ${JSON.stringify(i.input)}` });

export const backoffSchema = z
  .strictObject({
    interval: durationSchema.optional().describe('Wait before the first retry (IntervalSeconds). @default 1s'),
    rate: z.number()
      .min(1, { error: (i) => `backoff.rate must be at least 1.0, got ${JSON.stringify(i.input)}` })
      .optional()
      .describe('Multiplier applied to the wait after each retry (BackoffRate). @default 2'),
    max_delay: durationSchema.optional().describe('Upper bound of any single wait (MaxDelaySeconds)'),
    jitter: z.enum(['full', 'none']).optional().describe('FULL jitter randomises each wait. @default none'),
  })
  .describe('Retry backoff, with Step Functions Retry semantics');

export const serviceSchema = z
  .strictObject({
    url: z.string().min(1).describe('Endpoint called by the service task; `${ENV_VAR}` is expanded at run time'),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional().describe('@default POST'),
    headers: z.record(z.string(), z.string()).optional(),
    timeout: durationSchema.optional().describe('HTTP timeout. @default 30s'),
  })
  .describe('A named HTTP service used by `type: service` tasks');

export const taskSchema = z
  .strictObject({
    name: z.string().min(1).describe('Unique task name: letters, digits and underscores'),
    type: z.enum(['function', 'service']).optional().describe('@default function'),
    description: z.string().optional(),
    handler: z.string().optional()
      .describe('`path#export` relative to the definition file. @default functions/tasks/<name>.ts#handler'),
    service: z.string().optional().describe('For `type: service`: the service to call. @default the task name'),
    timeout: durationSchema.optional().describe('Task timeout; past it the task fails with States.Timeout'),
    retries: retryCount('retries').optional().describe('Retries after a failure. @default engine.retry_attempts'),
    backoff: backoffSchema.optional(),
    depends_on: z.array(z.string()).optional().describe('Tasks whose results this task needs'),
    on_failure: z.string().optional()
      .describe('`fail` (default), `continue`, or the name of a task to run instead'),
    memory: positiveInt('memory', 10_240).min(128, { error: (i) => `memory must be at least 128 (MB), got ${i.input}` })
      .optional().describe('Lambda memory in MB. @default 256'),
  })
  .describe('One unit of work');

export const engineSchema = z
  .strictObject({
    type: z.enum(['sequential', 'parallel']).optional().describe('@default sequential'),
    max_concurrent_tasks: positiveInt('max_concurrent_tasks').optional()
      .describe('Upper bound on task states running at once. @default unbounded'),
    timeout: durationSchema.optional().describe('Whole-execution timeout; past it the execution ends TIMED_OUT'),
    retry_attempts: retryCount('retry_attempts').optional().describe('Default retries of every task. @default 0'),
    mode: z.enum(['standard', 'express']).optional().describe('Step Functions workflow type. @default standard'),
  })
  .describe('How tasks are scheduled');

export const workflowSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('@default the file name'),
    description: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()).optional()
      .describe('JSON Schema that every execution input must satisfy'),
    engine: engineSchema.optional(),
    services: z.record(z.string(), serviceSchema).optional(),
    tasks: z.array(taskSchema).min(1, { error: 'a workflow needs at least one task' }),
  })
  .describe('A workflow: tasks, their dependencies and how they run');

export const definitionFileSchema = z
  .strictObject({
    workflow: workflowSchema,
  })
  .describe('A stepflow definition file');

export type DefinitionFile = z.infer<typeof definitionFileSchema>;
export type WorkflowSpec = z.infer<typeof workflowSchema>;
export type TaskSpec = z.infer<typeof taskSchema>;
export type ServiceSpec = z.infer<typeof serviceSchema>;
export type BackoffSpec = z.infer<typeof backoffSchema>;
