import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { AslState, StateMachineDefinition as AslMachine, TaskState } from '../../core/asl/index.ts';
import { LAMBDA_TIMEOUT_MARGIN_SECONDS, MAX_LAMBDA_TIMEOUT_SECONDS } from '../../core/asl/limits.ts';
import { DEFAULT_TASK_TIMEOUT_SECONDS } from '../../core/compiler/functions.ts';
import type { HandlerRef } from '../../core/definition/model.ts';
import type { TaskStatePlan, WorkflowPlan } from '../../core/compiler/plan.ts';
import { WAIT_FOR_TOKEN_RESOURCE } from '../../core/compiler/states/gate.ts';
import { COORDINATOR_TIMEOUT_SECONDS } from '../../functions/coordinator/settings.ts';
import { LOCAL_ACCOUNT } from './arn.ts';
import { contextBindings, type ContextBinding } from './context-bindings.ts';
import { CALLBACK_SENDER } from './callback-sender.ts';
import { batchOffline } from './offline-batches.ts';
import { readItemsOffline, S3_ITEM_READER } from './offline-item-reader.ts';

/**
 * The library's own timer for a Task state without TimeoutSeconds: the longest a Node.js timer waits
 * (2^31 − 1 ms), so it never fires first. The state has no timeout, as on AWS: its Lambda's timeout or
 * its task token decides.
 */
/** Longest a pooled task's SendMessage may take. */
const POOL_SEND_TIMEOUT_SECONDS = 30;

export const NO_STATE_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** What the engine needs to know about one Task state to run it in-process. */
export interface LocalTaskState {
  readonly stateName: string;
  readonly plan: TaskStatePlan;
  /** The module to call: the task's handler, the service invoker, or the coordinator. */
  readonly handler: HandlerRef;
  /** Which edit of the handler's module this workflow calls, when the dev stack reloads handlers (0: the first). */
  readonly handlerVersion?: number;
  readonly functionName: string;
  readonly memoryMb?: number;
  /** The state's TimeoutSeconds (past it: States.Timeout); undefined when it sets none. */
  readonly timeoutSeconds?: number;
  /** The Lambda's own timeout (past it: Sandbox.Timedout, a Lambda error), as the deployed function has it. */
  readonly lambdaTimeoutSeconds: number;
  /**
   * `lambda:invoke.waitForTaskToken`: the Lambda receives the Parameters' Payload, and the state ends
   * when SendTaskSuccess or SendTaskFailure names its token (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token).
   */
  readonly waitForToken: boolean;
  /** A `.waitForTaskToken` state's HeartbeatSeconds: past it without SendTaskHeartbeat, States.HeartbeatTimeout. */
  readonly heartbeatSeconds?: number;
  /** What the handler receives of a `.waitForTaskToken` state's Parameters: their `Payload` (Lambda), or all of them (SQS). @default 'Payload' */
  readonly payload?: 'Payload' | 'parameters';
  /** Where the state puts its result in the state data, to measure it against the payload limit. */
  readonly output: StateOutput;
  readonly bindings: readonly ContextBinding[];
  /** The items an ItemReader reads are no state data on AWS (each child execution gets its own): not held to the payload limit. */
  readonly unlimitedPayload?: boolean;
}

/**
 * How a Task state's output is made of its input and result: `{ <key>: result }` (ResultSelector of one
 * key over the whole result), the result at a path of the input, the input unchanged (ResultPath null),
 * or the result alone.
 */
export type StateOutput =
  | { readonly kind: 'keyed'; readonly key: string }
  | { readonly kind: 'path'; readonly path: readonly string[] }
  | { readonly kind: 'input' }
  | { readonly kind: 'result' };

export interface PreparedWorkflow {
  readonly definition: StateMachineDefinition;
  readonly tasks: ReadonlyMap<string, LocalTaskState>;
}

export interface PrepareOptions {
  readonly region: string;
  readonly serviceInvoker: HandlerRef;
  /** What gate and report states of gated workflows call. */
  readonly coordinator: HandlerRef;
  /** What pooled tasks call: it sends their message to the lane's queue. */
  readonly poolSender: HandlerRef;
  /** What callbacks via event or sqs call: it puts their event or sends their message. @default CALLBACK_SENDER */
  readonly callbackSender?: HandlerRef;
}

/**
 * The plan's ASL made runnable by aws-local-stepfunctions:
 * - `${Placeholder}` resources become Lambda ARNs (as CDK's DefinitionSubstitutions would), so the
 *   library's ARN validation passes; the engine overrides every Task state anyway;
 * - a Task without TimeoutSeconds has none, as on AWS: the engine stops its Lambda at the function's own
 *   timeout, and waits for a task token as long as it takes; only the library's timer, which would stop
 *   it after 60 s, is pushed out of the way (NO_STATE_TIMEOUT_SECONDS)
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html);
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
        const readerArn = `arn:aws:lambda:${options.region}:${LOCAL_ACCOUNT}:function:stepflow-s3-item-reader`;
        if (readItemsOffline(states, stateName, readerArn)) tasks.set(stateName, itemReaderTask(stateName, plan));
        else batchOffline(states, stateName);
        const processor = state.ItemProcessor ?? state.Iterator;
        if (processor) visit(processor.States);
      } else if (state.Type === 'Task') {
        const local = localTaskState(plan, stateName, state, options);
        if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) Object.assign(state, { TimeoutSeconds: NO_STATE_TIMEOUT_SECONDS });
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
    // The "Lambda" sends the message; the state then waits for the worker's answer to its token.
    return {
      stateName,
      plan: taskPlan,
      handler: options.poolSender,
      functionName: 'stepflow-pool-sender',
      timeoutSeconds: state.TimeoutSeconds,
      lambdaTimeoutSeconds: POOL_SEND_TIMEOUT_SECONDS,
      waitForToken: true,
      payload: 'parameters',
      output: stateOutput(state),
      bindings: contextBindings(state.Parameters),
    };
  }
  if (taskPlan.kind === 'event' || taskPlan.kind === 'queue') {
    // The "Lambda" puts the event or sends the message; the state then waits for the answer to its token.
    return {
      stateName,
      plan: taskPlan,
      handler: options.callbackSender ?? CALLBACK_SENDER,
      functionName: 'stepflow-callback-sender',
      timeoutSeconds: state.TimeoutSeconds,
      lambdaTimeoutSeconds: POOL_SEND_TIMEOUT_SECONDS,
      waitForToken: true,
      payload: 'parameters',
      ...(state.HeartbeatSeconds !== undefined ? { heartbeatSeconds: state.HeartbeatSeconds } : {}),
      output: stateOutput(state),
      bindings: contextBindings(state.Parameters),
    };
  }
  const fn = taskPlan.kind === 'function' ? plan.functions.find((f) => f.placeholder === taskPlan.placeholder) : undefined;
  if (taskPlan.kind === 'function' && !fn) {
    throw new Error(`workflow ${plan.name}: Task state "${stateName}" uses \${${taskPlan.placeholder}} but no function of the plan has that placeholder`);
  }
  const coordinator = taskPlan.kind === 'gate' || taskPlan.kind === 'done';
  // The deployed functions' timeouts: the task's plus the margin (TaskFunctions, ServiceInvoker), the coordinator's own.
  const lambdaTimeoutSeconds = coordinator
    ? COORDINATOR_TIMEOUT_SECONDS
    : Math.min((fn?.timeoutSeconds ?? state.TimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS) + LAMBDA_TIMEOUT_MARGIN_SECONDS, MAX_LAMBDA_TIMEOUT_SECONDS);
  return {
    stateName,
    plan: taskPlan,
    handler: fn ? fn.handler : coordinator ? options.coordinator : options.serviceInvoker,
    functionName: fn ? `stepflow-${fn.id}` : coordinator ? 'stepflow-coordinator' : 'stepflow-service-invoker',
    memoryMb: fn?.memoryMb,
    timeoutSeconds: state.TimeoutSeconds,
    lambdaTimeoutSeconds,
    waitForToken: state.Resource === WAIT_FOR_TOKEN_RESOURCE,
    ...(state.HeartbeatSeconds !== undefined ? { heartbeatSeconds: state.HeartbeatSeconds } : {}),
    output: stateOutput(state),
    bindings: contextBindings(state.Parameters),
  };
}

/** The Task reading a Map's ItemReader object offline (offline-item-reader.ts); it counts as the stage's task. */
function itemReaderTask(stateName: string, plan: WorkflowPlan): LocalTaskState {
  const stage = Object.values(plan.taskStates).find((t) => t.task === stateName)?.task ?? stateName;
  return {
    stateName,
    plan: { task: stage, kind: 'function', placeholder: 'S3ItemReader' },
    handler: S3_ITEM_READER,
    functionName: 'stepflow-s3-item-reader',
    timeoutSeconds: 60,
    lambdaTimeoutSeconds: 60,
    waitForToken: false,
    output: { kind: 'result' },
    bindings: [],
    unlimitedPayload: true,
  };
}

function stateOutput(state: TaskState): StateOutput {
  if (state.ResultPath === null) return { kind: 'input' };
  const selected = Object.entries(state.ResultSelector ?? {});
  if (state.ResultPath === undefined || state.ResultPath === '$') {
    const [key, path] = selected[0] ?? [];
    return selected.length === 1 && path === '$' && key?.endsWith('.$') ? { kind: 'keyed', key: key.slice(0, -2) } : { kind: 'result' };
  }
  return /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(state.ResultPath) && selected.length === 0
    ? { kind: 'path', path: state.ResultPath.slice(2).split('.') }
    : { kind: 'result' };
}

function dropWholeResultPath(node: object): void {
  if ('ResultPath' in node && node.ResultPath === '$') delete node.ResultPath;
}
