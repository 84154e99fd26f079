import { scheduleIdFor } from '../../functions/scheduler/schedule-store.ts';
import type { WorkflowPlan } from './plan.ts';

/**
 * What the run-time code (API, recorder, dispatcher) knows of one workflow, whichever backend serves it;
 * each backend adds where the state machine lives (an ARN offline, a name on AWS).
 */
export interface RuntimeWorkflowEntry {
  readonly mode: 'STANDARD' | 'EXPRESS';
  readonly inputSchema?: Record<string, unknown>;
  readonly maxJobs?: number;
  readonly maxEvents?: number;
  /** Ids of the schedules the definition declares: they count against maxJobs and only the definition removes them. */
  readonly declaredSchedules?: readonly string[];
}

export function runtimeWorkflowEntry(plan: WorkflowPlan): RuntimeWorkflowEntry {
  const declaredSchedules = plan.triggers.filter((t) => t.kind === 'schedule').map((t) => scheduleIdFor(plan.name, t.name));
  return {
    mode: plan.mode,
    ...(plan.inputSchema ? { inputSchema: plan.inputSchema } : {}),
    ...(plan.scheduling.maxJobs !== undefined ? { maxJobs: plan.scheduling.maxJobs } : {}),
    ...(plan.scheduling.maxEvents !== undefined ? { maxEvents: plan.scheduling.maxEvents } : {}),
    ...(declaredSchedules.length ? { declaredSchedules } : {}),
  };
}
