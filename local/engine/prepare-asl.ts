import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { AslState, StateMachineDefinition as AslMachine, TaskState } from '../../core/asl/index.ts';
import type { HandlerRef } from '../../core/definition/model.ts';
import type { TaskStatePlan, WorkflowPlan } from '../../core/compiler/plan.ts';
import { LOCAL_ACCOUNT } from './arn.ts';
import { contextBindings, type ContextBinding } from './context-bindings.ts';

/** Longest a Lambda can run; also what a Task without TimeoutSeconds is bounded by on AWS. */
export const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

/** What the engine needs to know about one Task state to run it in-process. */
export interface LocalTaskState {
  readonly stateName: string;
  readonly plan: TaskStatePlan;
  /** The module to call: the task's handler, or the service invoker. */
  readonly handler: HandlerRef;
  readonly functionName: string;
  readonly memoryMb?: number;
  readonly timeoutSeconds: number;
  readonly bindings: readonly ContextBinding[];
}

export interface PreparedWorkflow {
  readonly definition: StateMachineDefinition;
  readonly tasks: ReadonlyMap<string, LocalTaskState>;
}

export interface PrepareOptions {
  readonly region: string;
  readonly serviceInvoker: HandlerRef;
}

/**
 * The plan's ASL made runnable by aws-local-stepfunctions:
 * - `${Placeholder}` resources become Lambda ARNs (as CDK's DefinitionSubstitutions would), so the
 *   library's ARN validation passes; the engine overrides every Task state anyway;
 * - a Task without TimeoutSeconds gets its Lambda timeout, because the library would otherwise stop it
 *   after 60 s while Step Functions waits for the Lambda (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html).
 * - `ResultPath: "$"` is dropped: it is the default (the result replaces the input), but the library
 *   would store the result under a key named "$" instead
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html).
 * Throws when a Task state has no entry in `plan.taskStates` (nothing could run it).
 */
export function prepareWorkflow(plan: WorkflowPlan, options: PrepareOptions): PreparedWorkflow {
  const tasks = new Map<string, LocalTaskState>();
  const substitute = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => `arn:aws:lambda:${options.region}:${LOCAL_ACCOUNT}:function:stepflow-${name}`);
    }
    if (Array.isArray(value)) return value.map(substitute);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, substitute(inner)]));
    }
    return value;
  };
  const definition = substitute(structuredClone(plan.asl)) as AslMachine;

  // The states are a private clone: fields are changed in place.
  const visit = (states: Record<string, AslState>): void => {
    for (const [stateName, state] of Object.entries(states)) {
      dropWholeResultPath(state);
      if ('Catch' in state) for (const catcher of state.Catch ?? []) dropWholeResultPath(catcher);
      if (state.Type === 'Parallel') {
        for (const branch of state.Branches) visit(branch.States);
      } else if (state.Type === 'Map') {
        const processor = state.ItemProcessor ?? state.Iterator;
        if (processor) visit(processor.States);
      } else if (state.Type === 'Task') {
        const local = localTaskState(plan, stateName, state, options);
        if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) Object.assign(state, { TimeoutSeconds: local.timeoutSeconds });
        tasks.set(stateName, local);
      }
    }
  };
  visit(definition.States);
  return { definition: definition as StateMachineDefinition, tasks };
}

function localTaskState(plan: WorkflowPlan, stateName: string, state: TaskState, options: PrepareOptions): LocalTaskState {
  const taskPlan = plan.taskStates[stateName];
  if (!taskPlan) {
    throw new Error(`workflow ${plan.name}: Task state "${stateName}" has no entry in the plan's taskStates, so the offline engine cannot run it`);
  }
  if (taskPlan.kind === 'pool') {
    throw new Error(`workflow ${plan.name}: Task state "${stateName}" runs in a pool (\${${taskPlan.placeholder}}), which this engine cannot call`);
  }
  const fn = taskPlan.kind === 'function' ? plan.functions.find((f) => f.placeholder === taskPlan.placeholder) : undefined;
  if (taskPlan.kind === 'function' && !fn) {
    throw new Error(`workflow ${plan.name}: Task state "${stateName}" uses \${${taskPlan.placeholder}} but no function of the plan has that placeholder`);
  }
  const timeoutSeconds = state.TimeoutSeconds ?? fn?.timeoutSeconds ?? LAMBDA_MAX_TIMEOUT_SECONDS;
  return {
    stateName,
    plan: taskPlan,
    handler: fn ? fn.handler : options.serviceInvoker,
    functionName: fn ? `stepflow-${fn.id}` : 'stepflow-service-invoker',
    memoryMb: fn?.memoryMb,
    timeoutSeconds,
    bindings: contextBindings(state.Parameters),
  };
}

function dropWholeResultPath(node: object): void {
  if ('ResultPath' in node && node.ResultPath === '$') delete node.ResultPath;
}
