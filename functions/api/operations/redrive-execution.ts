import { Conflict, HttpError, NotFound } from '../../../core/errors.ts';
import type { ExecutionStatus } from '../../../core/contracts/execution-status.ts';
import { type ApiDeps } from '../deps.ts';
import { findWorkflow } from '../../executions/find-workflow.ts';
import type { ApiResult } from '../response.ts';
import { requireExecution } from './get-execution.ts';

/** What RedriveExecution accepts (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html). */
const REDRIVABLE: readonly ExecutionStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * `POST /workflows/{name}/executions/{id}/redrive`: asks Step Functions to run a failed, timed-out or
 * aborted Standard execution again from the states that did not succeed; the recorder records RUNNING
 * with the new redrive count when Step Functions reports it. Express executions cannot be redriven.
 * Offline: 501, since the offline engine cannot resume an execution from its failed state.
 */
export async function redriveExecution(deps: ApiDeps, workflowName: string, executionId: string): Promise<ApiResult> {
  const workflow = findWorkflow(deps, workflowName);
  const record = await requireExecution(deps.store, workflowName, executionId);
  if (workflow.mode === 'EXPRESS') {
    throw new Conflict(`workflow "${workflowName}" is an Express workflow; its executions cannot be redriven`, { code: 'redrive_not_supported' });
  }
  if (!REDRIVABLE.includes(record.status)) {
    throw new Conflict(`execution "${executionId}" is ${record.status}; only ${REDRIVABLE.join(', ')} executions can be redriven`, {
      code: 'execution_not_redrivable',
    });
  }
  const result = await deps.runner.redrive(record.executionArn);
  switch (result.outcome) {
    case 'not-found':
      throw new NotFound(`Step Functions has no execution "${executionId}"`, { code: 'unknown_execution' });
    case 'not-redrivable':
      throw new Conflict(`Step Functions cannot redrive execution "${executionId}": ${result.message}`, { code: 'execution_not_redrivable' });
    case 'not-supported':
      throw new HttpError(501, 'not_implemented', `this Step Functions endpoint cannot redrive executions: ${result.message}`);
    default:
      return {
        statusCode: 202,
        body: { executionId, workflow: workflowName, redrive: 'requested', redriveCount: record.redriveCount + 1, redriveDate: result.redriveDate.toISOString() },
      };
  }
}
