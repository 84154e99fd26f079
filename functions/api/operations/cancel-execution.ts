import { Conflict, NotFound } from '../../../core/errors.ts';
import { isTerminal } from '../../../core/contracts/execution-status.ts';
import { type ApiDeps } from '../deps.ts';
import { findWorkflow } from '../../executions/find-workflow.ts';
import type { ApiResult } from '../response.ts';
import { requireExecution } from './get-execution.ts';

/**
 * `POST /workflows/{name}/executions/{id}/cancel`: asks Step Functions to stop the execution; the
 * recorder records ABORTED when Step Functions reports it. Express executions cannot be stopped
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html).
 */
export async function cancelExecution(deps: ApiDeps, workflowName: string, executionId: string): Promise<ApiResult> {
  const workflow = findWorkflow(deps, workflowName);
  const record = await requireExecution(deps.store, workflowName, executionId);
  if (isTerminal(record.status)) {
    throw new Conflict(`execution "${executionId}" is ${record.status}, not running`, { code: 'execution_not_running' });
  }
  if (workflow.mode === 'EXPRESS') {
    throw new Conflict(`workflow "${workflowName}" is an Express workflow; its executions cannot be stopped`, {
      code: 'cancel_not_supported',
    });
  }
  const outcome = await deps.runner.stop(record.executionArn, { error: 'Cancelled', cause: 'cancelled through the stepflow API' });
  if (outcome === 'not-found') {
    throw new NotFound(`Step Functions has no execution "${executionId}"`, { code: 'unknown_execution' });
  }
  return { statusCode: 202, body: { executionId, workflow: workflowName, cancellation: 'requested' } };
}
