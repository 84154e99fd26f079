import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { APPROVALS_PLACEHOLDER } from '../../core/compiler/states/approval.ts';
import type { StateTable } from './state-table.ts';
import type { TaskFunctions } from './task-functions.ts';

/** Whether the plan has approval tasks (its functions include the approvals function). */
export const hasApprovalTasks = (plan: WorkflowPlan): boolean => plan.functions.some((f) => f.placeholder === APPROVALS_PLACEHOLDER);

/**
 * The approvals function (one of the task functions) records pending approvals in the table: it gets the
 * table's name and may put and update items (a request, an expiry), nothing else.
 */
export function wireApprovalsFunction(tasks: TaskFunctions, table: StateTable): void {
  const fn = tasks.forPlaceholder(APPROVALS_PLACEHOLDER);
  if (!fn) return;
  // Behind its `live` alias when versions are published: the environment belongs to the function.
  const underlying = fn instanceof lambda.Alias ? fn.version.lambda : fn;
  if (underlying instanceof lambda.Function) underlying.addEnvironment('STEPFLOW_TABLE', table.tableName);
  table.grantRecordApprovals(fn);
}
