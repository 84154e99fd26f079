import { NotFound, normaliseCause } from '../../../core/errors.ts';
import type { ExecutionStore } from '../../executions/execution-store.ts';
import { type ApiDeps } from '../deps.ts';
import { findWorkflow } from '../../executions/find-workflow.ts';
import type { ApiResult } from '../response.ts';
import { wholeHistory } from '../../executions/execution-history.ts';
import { taskStates } from '../../executions/task-states.ts';

/** `GET /workflows/{name}/executions/{id}`: the execution with a readable cause and its Task states (from its history). */
export async function getExecution(deps: ApiDeps, workflowName: string, executionId: string): Promise<ApiResult> {
  findWorkflow(deps, workflowName);
  const record = await requireExecution(deps.store, workflowName, executionId);
  return {
    statusCode: 200,
    body: {
      executionId: record.executionId,
      workflow: record.workflow,
      status: record.status,
      input: record.input ?? null,
      output: record.output ?? null,
      ...(record.outputTruncated ? { outputTruncated: true } : {}),
      error: record.error ?? null,
      cause: normaliseCause(record.cause) ?? null,
      startDate: record.startDate,
      stopDate: record.stopDate ?? null,
      redriveCount: record.redriveCount,
      ...(deps.history ? { tasks: taskStates(await wholeHistory(deps.history, record.executionArn)).map((t) => ({ ...t, cause: normaliseCause(t.cause) ?? null })) } : {}),
    },
  };
}

export async function requireExecution(store: ExecutionStore, workflowName: string, executionId: string) {
  const record = await store.get(workflowName, executionId);
  if (!record) {
    throw new NotFound(`workflow "${workflowName}" has no execution "${executionId}"`, { code: 'unknown_execution' });
  }
  return record;
}
