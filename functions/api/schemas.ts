import { z } from 'zod';
import { EXECUTION_STATUSES } from '../shared/execution-store.ts';

/**
 * Execution names as Step Functions accepts them, restricted to the characters it recommends for names
 * that show up in CloudWatch (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
 */
export const executionName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1 to 80 letters, digits, "-" or "_"');

export const startExecutionBody = z.object({
  input: z.unknown().optional(),
  name: executionName.optional(),
});

export const workflowPath = z.object({ name: z.string().min(1) });

export const executionPath = z.object({ name: z.string().min(1), id: z.string().min(1) });

export const listQuery = z.object({
  status: z.enum(EXECUTION_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  nextToken: z.string().min(1).optional(),
});
