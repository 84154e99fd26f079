import * as z from 'zod/mini';
import type { ServiceDefinition } from '../definition/model.ts';

/**
 * The payload every task Lambda receives, checked at run time by the task runner. zod/mini keeps every
 * task bundle small: the full zod build cannot be tree-shaken.
 */
export const taskEventSchema = z.object({
  task: z.string().check(z.minLength(1)),
  workflow: z.string().check(z.minLength(1)),
  /** Step Functions execution ARN (or the offline engine's id). */
  execution: z.string().check(z.minLength(1)),
  /** 0 on the first attempt. */
  attempt: z.number().check(z.int(), z.minimum(0)),
  input: z.unknown(),
  /** Results of every completed upstream task, keyed by task name. */
  results: z.record(z.string(), z.unknown()),
  /** A fan-out stage's item, and its place in the list. */
  item: z.optional(z.unknown()),
  index: z.optional(z.number()),
});

export type TaskEvent = z.infer<typeof taskEventSchema>;

/** Payload of the service invoker: the task event plus the service to call. */
export interface ServiceTaskEvent extends TaskEvent {
  readonly service: { readonly name: string; readonly definition?: ServiceDefinition };
}
