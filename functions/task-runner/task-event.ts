import * as z from 'zod/mini';
import type { TaskEvent } from '../../infra/compiler/plan.ts';

/**
 * The `TaskEvent` every task Lambda receives (infra/compiler/plan.ts), checked at run time. zod/mini
 * keeps every task bundle small: the full zod build cannot be tree-shaken.
 */
export const taskEventSchema = z.object({
  task: z.string().check(z.minLength(1)),
  workflow: z.string().check(z.minLength(1)),
  execution: z.string().check(z.minLength(1)),
  attempt: z.number().check(z.int(), z.minimum(0)),
  input: z.unknown(),
  results: z.record(z.string(), z.unknown()),
}) satisfies z.ZodMiniType<TaskEvent>;
