import type { WorkflowPlan } from '../../../core/compiler/plan.ts';

/**
 * CloudFormation allows 500 resources per stack
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html); stepflow
 * keeps a margin below it.
 */
export const DEFAULT_MAX_RESOURCES_PER_STACK = 450;

/**
 * Resources one workflow adds to a stack, rounded up: the state machine with its version, `live` alias,
 * log group, role and policy, the workflow alarms, then per task function its Lambda, role, policy, log
 * group, version, alias and alarm, per trigger a rule or schedule with its permission, and an Express
 * workflow's subscription filter with its permission. Counted from synthesized stacks (one Standard
 * workflow with one task function makes 16); test/infra/stacks/sharding.test.ts keeps it at or above the real count.
 */
export function estimateWorkflowResources(plan: WorkflowPlan): number {
  return 10 + 8 * plan.functions.length + 4 * plan.triggers.length + (plan.mode === 'EXPRESS' ? 2 : 0);
}

/**
 * Resources of the shared part (key, table, bus, API, recorder, dispatcher, service invoker, coordinator,
 * monitoring): about 95 with one workflow; the recorder adds a rule per ten workflows and the grants of
 * the API's role spill into managed policies as workflows are added.
 */
export function estimateSharedResources(workflowCount: number): number {
  return 110 + 2 * Math.ceil(workflowCount / 10);
}
