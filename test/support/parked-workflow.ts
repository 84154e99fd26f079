import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { sequential } from '../local/fixtures/plans.ts';

/**
 * A workflow whose only task never answers, so its executions stay RUNNING until stopped, as a long
 * workflow's do on AWS while a test looks at them.
 */
export function parkedWorkflow(name: string, mode: 'STANDARD' | 'EXPRESS' = 'STANDARD'): WorkflowPlan {
  return { ...sequential(name, [{ name: 'park', handler: 'hang', timeoutSeconds: 3600 }]), mode };
}
