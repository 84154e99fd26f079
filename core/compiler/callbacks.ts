import type { AslState } from '../asl/index.ts';
import type { WorkflowPlan } from './plan.ts';
import { SERVICE_INVOKER_PLACEHOLDER } from './plan.ts';
import { WAIT_FOR_TOKEN_RESOURCE } from './states/gate.ts';

/**
 * Whether the plan has callback tasks, answered through the API: `.waitForTaskToken` states through the
 * service invoker (via http), or putting an event or sending a message (via event, via sqs).
 */
export function hasCallbacks(plan: WorkflowPlan): boolean {
  const visit = (states: Record<string, AslState>): boolean =>
    Object.entries(states).some(([name, state]) => {
      if (state.Type === 'Task') {
        const kind = plan.taskStates[name]?.kind;
        if (kind === 'event' || kind === 'queue') return true;
        return state.Resource === WAIT_FOR_TOKEN_RESOURCE && plan.taskStates[name]?.placeholder === SERVICE_INVOKER_PLACEHOLDER;
      }
      if (state.Type === 'Parallel') return state.Branches.some((b) => visit(b.States));
      if (state.Type === 'Map') return visit((state.ItemProcessor ?? state.Iterator)?.States ?? {});
      return false;
    });
  return visit(plan.asl.States);
}
