import * as z from 'zod/mini';

/**
 * What the gated strategy's Task states send the coordinator Lambda. Every task of a gated workflow
 * runs in its own branch of one Parallel state: first a gate (`lambda:invoke.waitForTaskToken`) that
 * registers the task and waits until the coordinator releases it, then the task, then a report of its
 * output. The coordinator releases a task once every task it needs has reported, at most `limit` at
 * once, lowest `rank` first, with the merged outputs of what it needs as the gate's output.
 */
export const waitRequestSchema = z.object({
  action: z.literal('wait'),
  workflow: z.string().check(z.minLength(1)),
  /** Step Functions execution ARN. */
  execution: z.string().check(z.minLength(1)),
  task: z.string().check(z.minLength(1)),
  /** The task's direct dependencies. */
  needs: z.array(z.string()),
  /** Release order among waiting tasks: 0 first (the longest path still ahead of the task). */
  rank: z.number().check(z.int(), z.minimum(0)),
  /** max_concurrent_tasks: most tasks released and not yet reported. Absent: no limit. */
  limit: z.optional(z.number().check(z.int(), z.minimum(1))),
  /** The gate's task token (`$$.Task.Token`), for SendTaskSuccess. */
  token: z.string().check(z.minLength(1)),
});

export const doneRequestSchema = z.object({
  action: z.literal('done'),
  workflow: z.string().check(z.minLength(1)),
  execution: z.string().check(z.minLength(1)),
  task: z.string().check(z.minLength(1)),
  /** Keys of `output` this task wrote: its own name, and its fallback's when that has its own key. */
  keys: z.array(z.string()),
  /** The branch's results object after the task: what it needed, and what it wrote. */
  output: z.record(z.string(), z.unknown()),
});

export const coordinatorRequestSchema = z.discriminatedUnion('action', [waitRequestSchema, doneRequestSchema]);

export type WaitRequest = z.infer<typeof waitRequestSchema>;
export type DoneRequest = z.infer<typeof doneRequestSchema>;
export type CoordinatorRequest = z.infer<typeof coordinatorRequestSchema>;
