import { z } from 'zod';
import type { TaskEvent } from '../../infra/compiler/plan.ts';

/** The `TaskEvent` every task Lambda receives (infra/compiler/plan.ts), checked at run time. */
export const taskEventSchema = z.object({
  task: z.string().min(1),
  workflow: z.string().min(1),
  execution: z.string().min(1),
  attempt: z.number().int().min(0),
  input: z.unknown(),
  results: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<TaskEvent>;
