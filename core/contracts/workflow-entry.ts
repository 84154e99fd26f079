import { z } from 'zod';

/**
 * What the run-time code (API, recorder, dispatcher) knows of one workflow besides where its state
 * machine is, as both registries carry it: `STEPFLOW_WORKFLOWS` offline and the registry compiled into
 * deployed bundles. Each backend adds where the state machine lives.
 */
export const workflowEntrySchema = z.object({
  /** JSON Schema the execution input must satisfy. */
  inputSchema: z.record(z.string(), z.unknown()).optional(),
  mode: z.enum(['STANDARD', 'EXPRESS']).default('STANDARD'),
  /** The state machine's TimeoutSeconds: whether an Express execution can be awaited within an API call. */
  timeoutSeconds: z.number().int().positive().optional(),
  /** Most schedules (declared and created through the API), from `task_scheduling.cron.max_jobs`. */
  maxJobs: z.number().int().min(0).optional(),
  /** Most event-triggered starts per minute, from `task_scheduling.event.max_events`. */
  maxEvents: z.number().int().min(0).optional(),
  /** Ids of the schedules the definition declares: they count against maxJobs and only the definition removes them. */
  declaredSchedules: z.array(z.string()).optional(),
});

export type WorkflowEntry = z.infer<typeof workflowEntrySchema>;

/** A workflow the API and the recorder can run: its entry and its state machine's ARN. */
export const workflowConfigSchema = workflowEntrySchema.extend({ stateMachineArn: z.string().min(1) });

export type WorkflowConfig = z.infer<typeof workflowConfigSchema>;

/** One entry of the registry bundled into deployed Lambdas: the state machine by name (account and region stay tokens). */
export const bundledEntrySchema = workflowEntrySchema.extend({ stateMachineName: z.string().min(1) });

export type BundledEntry = z.infer<typeof bundledEntrySchema>;
