import { z } from 'zod';
import { alertsSchema } from './alerts.ts';
import { parseDuration } from './duration.ts';
import { aggregationTaskFields, orchestrationSchema, serviceOrchestrationFields } from './orchestration-schema.ts';
import { poolSchema, processManagementSchema } from './pool-schema.ts';
import { stageSchemaOf } from './stage-schema.ts';
import { callbackEventSchema, callbackQueueSchema } from './callback-channel-schema.ts';

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
    url: z.string().min(1).optional().describe('Endpoint called by the service task; `${ENV_VAR}` is expanded at run time'),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional().describe('@default POST'),
    headers: z.record(z.string(), z.string()).optional(),
    timeout: durationSchema.optional().describe('HTTP timeout. @default 30s'),
    ...serviceOrchestrationFields,
  })
  .describe('A named HTTP service used by `type: service` tasks');

export const compensationSchema = z
  .union([
    z.string().min(1),
    z.strictObject({
      handler: z.string().optional().describe('`path#export` relative to the definition file'),
      service: z.string().optional().describe('A service (workflow.services) to call instead of a handler'),
      retries: retryCount('compensate.retries').optional().describe('Retries of the compensation. @default the task\'s retries'),
      backoff: backoffSchema.optional(),
    }),
  ])
  .describe('Undoes the task when the workflow fails after it completed: `path#export`, or { handler | service, retries, backoff }');

export const taskSchema = z
  .strictObject({
    name: z.string().min(1).describe('Unique task name: letters, digits and underscores'),
    type: z.enum(['function', 'service', 'callback', 'approval']).optional()
      .describe('`callback`: sends the task token to a service and waits until POST /callbacks/{token} answers; `approval`: waits until POST /approvals/{id} approves or rejects. @default function'),
    approvers: z.string().min(1).optional().describe('For `type: approval`: who may decide (free text, shown with the pending approval)'),
    expires: durationSchema.optional().describe('For `type: approval`: past this long undecided, the approval expires (a rejection with reason `expired`). @default 24h'),
    via: z.enum(['http', 'event', 'sqs']).optional().describe('For `type: callback`: how the token is sent: a POST to `service`, an EventBridge event (`event`) or an SQS message (`queue`). @default http'),
    event: callbackEventSchema.optional(),
    queue: callbackQueueSchema.optional(),
    heartbeat: durationSchema.optional()
      .describe('For `type: callback`: the task fails with States.HeartbeatTimeout when no heartbeat (POST /callbacks/{token}/heartbeat) comes this long'),
    description: z.string().optional(),
    handler: z.string().optional()
      .describe('`path#export` relative to the definition file. @default functions/tasks/<name>.ts#handler'),
    service: z.string().optional().describe('For `type: service`: the service to call. @default the task name'),
    timeout: durationSchema.optional().describe('Task timeout; past it the task fails with States.Timeout. @default 60s'),
    estimate: durationSchema.optional()
      .describe('Expected run time: the compiler weighs tasks by it when it decides how to nest them. @default the same for every task'),
    retries: retryCount('retries').optional().describe('Retries after a failure. @default engine.retry_attempts'),
    backoff: backoffSchema.optional(),
    depends_on: z.array(z.string()).optional().describe('Tasks whose results this task needs'),
    on_failure: z.string().optional()
      .describe('`fail` (default), `continue`, or the name of a task to run instead'),
    compensate: compensationSchema.optional(),
    memory: positiveInt('memory', 10_240).min(128, { error: (i) => `memory must be at least 128 (MB), got ${i.input}` })
      .optional().describe('Lambda memory in MB. @default 256'),
    ...aggregationTaskFields,
    pool: z.string().min(1).optional().describe('Run this task as a job of the named pool (declared under `pools:`) instead of its own Lambda'),
    priority: z.string().min(1).optional().describe('For a pooled task: the lane its jobs go to. @default the pool\'s first lane'),
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
    dag: z.enum(['auto', 'nested', 'gated']).optional()
      .describe('How a parallel engine runs the dependency graph: nested Parallel states, or gated (each task released by a coordinator as soon as its dependencies are done), or auto (gated only where nesting would lose time). @default auto'),
  })
  .describe('How tasks are scheduled');

export const conditionSchema = z
  .strictObject({
    flag: z.strictObject({
      name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: (i) => `flag name must be 1-64 letters, digits, dots, hyphens or underscores, got ${JSON.stringify(i.input)}` }),
      equals: z.union([z.boolean(), z.string(), z.number()]).optional().describe('@default true'),
    }).optional().describe('A state flag (set through PUT /flags/{name}) that must hold at fire time'),
    match: z.record(z.string(), z.unknown()).optional()
      .describe('An EventBridge event pattern the fire must match: the event for event triggers, { time, trigger } for schedules'),
  })
  .describe('Checked at fire time; a fire that fails it is skipped and recorded with the reason');

export const eventInputSchema = z
  .union([
    z.literal('event'),
    z.strictObject({ path: z.string().regex(/^\$(\.[A-Za-z0-9_-]+)*$/, { error: (i) => `input.path must be a JSONPath like $.detail, got ${JSON.stringify(i.input)}` }) }),
    z.strictObject({ template: z.unknown() }),
  ])
  .describe('How an event becomes the execution input: the whole event, a path in it, or a template with "<$.detail.x>" placeholders. @default event');

export const triggerSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional().describe('@default trigger_<index>'),
    cron: z.string().optional().describe('Five-field Unix cron, AWS cron(...), rate(5 minutes) or at(2026-01-01T00:00:00)'),
    timezone: z.string().optional().describe('IANA time zone of the cron expression. @default task_scheduling.cron.timezone or UTC'),
    event: z.strictObject({
      pattern: z.record(z.string(), z.unknown()).describe('An EventBridge event pattern'),
      bus: z.string().optional().describe('`default`, or the name of an event bus. @default the project bus'),
      input: eventInputSchema.optional(),
    }).optional(),
    input: z.unknown().optional().describe('Static execution input of a schedule'),
    enabled: z.boolean().optional().describe('@default true'),
    catchup: z.boolean().optional().describe('Schedules only: fires that fell while the offline stack was down run late at its next start, instead of being recorded as missed. @default false'),
    condition: conditionSchema.optional(),
  })
  .describe('What starts the workflow: a schedule (cron) or an event');

export const workflowSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('@default the file name'),
    description: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()).optional()
      .describe('JSON Schema that every execution input must satisfy'),
    engine: engineSchema.optional(),
    services: z.record(z.string(), serviceSchema).optional(),
    tasks: z.array(taskSchema).min(1, { error: 'a workflow needs at least one task' }).optional()
      .describe('The tasks and their dependencies (or `stages`)'),
    stages: z.array(stageSchemaOf(taskSchema)).min(1, { error: 'a pipeline needs at least one stage' }).optional()
      .describe('A pipeline: stages run in order, each after the previous one completed (instead of `tasks`)'),
    triggers: z.array(triggerSchema).optional(),
    alerts: alertsSchema.optional(),
  })
  .describe('A workflow: tasks, their dependencies and how they run');

/** The specification's `task_scheduling` block: limits on this workflow's schedules, events and tasks. */
export const taskSchedulingSchema = z
  .strictObject({
    cron: z.strictObject({
      enabled: z.boolean().optional().describe('@default true'),
      timezone: z.string().optional().describe('Default time zone of cron triggers. @default UTC'),
      max_jobs: positiveInt('max_jobs').optional().describe('Most schedules (declared and created through the API)'),
    }).optional(),
    event: z.strictObject({
      enabled: z.boolean().optional().describe('@default true'),
      event_sources: z.array(z.string()).optional().describe('Where events come from; EventBridge buses are supported'),
      max_events: positiveInt('max_events').optional().describe('Most event-triggered starts per minute'),
    }).optional(),
    resources: z.strictObject({
      cpu_limit: z.union([z.string(), z.number()]).optional().describe('vCPUs per task; Lambda grants CPU in proportion to memory'),
      memory_limit: z.string().optional().describe('Memory per task, e.g. 512Mi or 4Gi (Lambda allows 128 MB to 10 GB)'),
      disk_limit: z.string().optional().describe('Ephemeral storage per task, e.g. 10Gi (Lambda allows 512 MB to 10 GB)'),
    }).optional(),
  })
  .describe('Scheduling limits, as in the specification example');

export const definitionFileSchema = z
  .strictObject({
    workflow: workflowSchema,
    task_scheduling: taskSchedulingSchema.optional(),
    orchestration: orchestrationSchema.optional(),
    pools: z.record(z.string(), poolSchema).optional().describe('Worker pools: queues feeding workers with capped concurrency'),
    process_management: processManagementSchema.optional(),
  })
  .describe('A stepflow definition file');

export type DefinitionFile = z.infer<typeof definitionFileSchema>;
export type WorkflowSpec = z.infer<typeof workflowSchema>;
export type TaskSpec = z.infer<typeof taskSchema>;
export type StageSpec = NonNullable<WorkflowSpec['stages']>[number];
export type ServiceSpec = z.infer<typeof serviceSchema>;
export type BackoffSpec = z.infer<typeof backoffSchema>;
export type TriggerSpec = z.infer<typeof triggerSchema>;
export type TaskSchedulingSpec = z.infer<typeof taskSchedulingSchema>;
