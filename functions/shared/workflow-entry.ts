import { z } from 'zod';

/**
 * What the run-time code knows of a workflow besides where its state machine is, as both registries
 * carry it: `STEPFLOW_WORKFLOWS` (offline) and the registry compiled into deployed bundles.
 */
export const workflowEntryFields = {
  inputSchema: z.record(z.string(), z.unknown()).optional(),
  mode: z.enum(['STANDARD', 'EXPRESS']).default('STANDARD'),
  maxJobs: z.number().int().min(0).optional(),
  maxEvents: z.number().int().min(0).optional(),
  declaredSchedules: z.array(z.string()).optional(),
};
