import { scheduleIdFor } from '../contracts/schedule-id.ts';
import type { WorkflowEntry } from '../contracts/workflow-entry.ts';
import type { WorkflowPlan } from './plan.ts';

/** What the run-time code knows of a compiled workflow, whichever backend serves it. */
export function runtimeWorkflowEntry(plan: WorkflowPlan): WorkflowEntry {
  const declaredSchedules = plan.triggers.filter((t) => t.kind === 'schedule').map((t) => scheduleIdFor(plan.name, t.name));
  return {
    mode: plan.mode,
    ...(plan.asl.TimeoutSeconds !== undefined ? { timeoutSeconds: plan.asl.TimeoutSeconds } : {}),
    ...(plan.inputSchema ? { inputSchema: plan.inputSchema } : {}),
    ...(plan.scheduling.maxJobs !== undefined ? { maxJobs: plan.scheduling.maxJobs } : {}),
    ...(plan.scheduling.maxEvents !== undefined ? { maxEvents: plan.scheduling.maxEvents } : {}),
    ...(declaredSchedules.length ? { declaredSchedules } : {}),
  };
}
