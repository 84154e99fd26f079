import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transition, type AslState, type ChoiceState, type MapState, type PassState, type TaskState } from '../../asl/index.ts';
import { FAILURE_KEY, completionKey, type CompensableTask } from '../../contracts/saga.ts';
import type { TaskDefinition, WorkflowDefinition } from '../../definition/model.ts';
import { handlerId } from '../functions.ts';
import { SERVICE_INVOKER_PLACEHOLDER, type TaskFunctionPlan, type TaskStatePlan } from '../plan.ts';
import { stateNames } from './names.ts';
import { LAMBDA_SERVICE_RETRY, retriers } from './task.ts';

/** The saga function (`functions/saga/handler.ts`): `.ts` beside the sources, `.js` in the built package. */
export const SAGA_FUNCTION_ID = 'stepflow_saga';
export const SAGA_PLACEHOLDER = `TaskFunction_${SAGA_FUNCTION_ID}`;
const SAGA_TIMEOUT_SECONDS = 10;

export function sagaFunction(): TaskFunctionPlan {
  return {
    placeholder: SAGA_PLACEHOLDER,
    id: SAGA_FUNCTION_ID,
    handler: { file: fileURLToPath(new URL(`../../../functions/saga/handler${extname(import.meta.url)}`, import.meta.url)), exportName: 'handler' },
    timeoutSeconds: SAGA_TIMEOUT_SECONDS,
    memoryMb: 128,
    tasks: [],
  };
}

/** True when some task declares `compensate`: the workflow is compiled as a saga. */
export const isSaga = (definition: WorkflowDefinition): boolean => definition.tasks.some((t) => t.compensate !== undefined);

/** Catches any failure of a task of a saga, keeping the state data (what completed) beside the error. */
export const sagaCatcher = (next: string) => ({ ErrorEquals: ['States.ALL'], ResultPath: `$.${FAILURE_KEY}`, Next: next });

/**
 * Records when a compensable task completed: the Pass state's `$$.State.EnteredTime`, taken as it runs
 * right after the task (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html).
 * Tasks of parallel branches are then compensated in the order they really completed.
 */
export function completionState(task: string, next: string | undefined): PassState {
  return { Type: 'Pass', Parameters: { 'at.$': '$$.State.EnteredTime' }, ResultPath: `$.${completionKey(task)}`, ...transition(next) };
}

/** Ends a Parallel branch in which a task failed: the branch succeeds, carrying the failure and what completed. */
export const branchFailedState = (): PassState => ({ Type: 'Pass', End: true });

/** After a saga's Parallel state: on to `failed` when a branch recorded a failure, else to `next` (or a Succeed ending the scope). */
export function branchCheckStates(parallel: string, failed: string, next: string | undefined): Record<string, AslState> {
  const passed = stateNames.passed(parallel);
  const check: ChoiceState = {
    Type: 'Choice',
    Choices: [{ Variable: `$.${FAILURE_KEY}`, IsPresent: true, Next: failed }],
    Default: next ?? passed,
  };
  return { [stateNames.branchCheck(parallel)]: check, ...(next ? {} : { [passed]: { Type: 'Succeed' } }) };
}

export interface SagaStatesResult {
  readonly states: Record<string, AslState>;
  readonly taskStates: Record<string, TaskStatePlan>;
}

/**
 * The compensation path, entered from every task's Catch (by way of branch checks in Parallel states):
 * - `saga.order` (the saga function) lists the completed compensable tasks, most recent first, each with
 *   its stable compensation id `<execution name>:<task>` and its result;
 * - `saga.compensate`, a Map with MaxConcurrency 1, runs them one after another in that order: each is a
 *   Task state with its own Retry; one that still fails is caught and recorded, and the next one runs;
 * - `saga.report` (the saga function) makes the report, listed with the execution's task states;
 * - `saga.failed` ends the execution FAILED with the original Error and Cause, or with
 *   stepflow.CompensationFailed and the report as Cause. A Fail state has no output, so the report
 *   travels in its Cause and the report state's output; ErrorPath and CausePath take reference paths
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html).
 */
export function sagaStates(definition: WorkflowDefinition, order: readonly string[], timeoutOf: (task: TaskDefinition) => number, projectRoot: string): SagaStatesResult {
  const compensable = order.map((name) => definition.tasks.find((t) => t.name === name)!).filter((t) => t.compensate);
  const tasks: CompensableTask[] = compensable.map((t) => ({ task: t.name, order: order.indexOf(t.name) }));
  const taskStates: Record<string, TaskStatePlan> = {};
  const processor: Record<string, AslState> = {};
  const dispatch: ChoiceState = {
    Type: 'Choice',
    Choices: compensable.map((t) => ({ Variable: '$.task', StringEquals: t.name, Next: stateNames.compensation(t.name) })),
  };
  processor[stateNames.sagaDispatch()] = dispatch;
  for (const task of compensable) {
    const name = stateNames.compensation(task.name);
    const failed = stateNames.compensationFailed(task.name);
    const { placeholder, extraPayload } = compensationTarget(task, definition, projectRoot);
    const state: TaskState = {
      Type: 'Task',
      Comment: `compensates ${task.name}`,
      Resource: `\${${placeholder}}`,
      Parameters: {
        task: task.name,
        workflow: definition.name,
        'execution.$': '$$.Execution.Id',
        'attempt.$': '$$.State.RetryCount',
        'input.$': '$$.Execution.Input',
        results: {},
        compensation: { 'id.$': '$.id', 'result.$': '$.result' },
        ...extraPayload,
      },
      ResultSelector: { task: task.name, outcome: 'compensated' },
      TimeoutSeconds: timeoutOf(task),
      Retry: retriers(task.compensate!),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$', Next: failed }],
      End: true,
    };
    processor[name] = state;
    processor[failed] = { Type: 'Pass', Parameters: { task: task.name, outcome: 'failed', 'failure.$': '$' }, End: true };
    taskStates[name] = { task: task.name, kind: task.compensate!.service ? 'service' : 'function', placeholder };
  }
  const sagaTask = (Parameters: Record<string, unknown>, next: string, ResultPath?: string): TaskState => ({
    Type: 'Task',
    Resource: `\${${SAGA_PLACEHOLDER}}`,
    Parameters,
    ...(ResultPath ? { ResultPath } : {}),
    TimeoutSeconds: SAGA_TIMEOUT_SECONDS,
    Retry: [LAMBDA_SERVICE_RETRY],
    Next: next,
  });
  const map: MapState<AslState> = {
    Type: 'Map',
    ItemsPath: '$.compensations',
    MaxConcurrency: 1,
    ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: stateNames.sagaDispatch(), States: processor },
    ResultPath: '$.compensations',
    Next: stateNames.sagaReport(),
  };
  const states: Record<string, AslState> = {
    [stateNames.sagaOrder()]: sagaTask({ action: 'order', 'execution.$': '$$.Execution.Name', 'data.$': '$', tasks }, stateNames.sagaCompensate()),
    [stateNames.sagaCompensate()]: map,
    [stateNames.sagaReport()]: sagaTask({ action: 'report', 'execution.$': '$$.Execution.Name', 'failure.$': '$.failure', 'compensations.$': '$.compensations' }, stateNames.sagaFailed()),
    [stateNames.sagaFailed()]: { Type: 'Fail', ErrorPath: '$.error', CausePath: '$.cause' },
  };
  taskStates[stateNames.sagaOrder()] = { task: stateNames.sagaOrder(), kind: 'function', placeholder: SAGA_PLACEHOLDER };
  taskStates[stateNames.sagaReport()] = { task: stateNames.sagaReport(), kind: 'function', placeholder: SAGA_PLACEHOLDER };
  return { states, taskStates };
}

/** What a compensation calls: its handler's function, or the service invoker with the service. */
function compensationTarget(task: TaskDefinition, definition: WorkflowDefinition, projectRoot: string): { placeholder: string; extraPayload?: Record<string, unknown> } {
  const compensate = task.compensate!;
  if (compensate.service) {
    const service = definition.services[compensate.service];
    return { placeholder: SERVICE_INVOKER_PLACEHOLDER, extraPayload: { service: { name: compensate.service, ...(service ? { definition: service } : {}) } } };
  }
  return { placeholder: `TaskFunction_${handlerId(compensate.handler!, projectRoot)}` };
}

/** The compensation handlers as pseudo tasks, so their functions are planned like the tasks' (one Lambda per handler). */
export function compensationTasks(definition: WorkflowDefinition): TaskDefinition[] {
  return definition.tasks.flatMap((t) => (t.compensate?.handler
    ? [{ ...t, name: `${t.name}_compensate`, handler: t.compensate.handler, type: 'function' as const, compensate: undefined }]
    : []));
}

/** Services called by compensations. */
export const compensationServices = (definition: WorkflowDefinition): string[] =>
  definition.tasks.flatMap((t) => (t.compensate?.service ? [t.compensate.service] : []));
