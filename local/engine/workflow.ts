import type { AslState } from '../../core/asl/index.ts';
import { StateMachine } from 'aws-local-stepfunctions';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import type { HandlerRef } from '../../core/definition/model.ts';
import { stateMachineArn } from './arn.ts';
import { prepareWorkflow, type LocalTaskState } from './prepare-asl.ts';

/** A workflow the engine runs, as ListStateMachines and DescribeStateMachine report it. */
export interface RegisteredWorkflow {
  readonly name: string;
  readonly stateMachineArn: string;
  readonly mode: 'STANDARD' | 'EXPRESS';
  readonly creationDate: Date;
  readonly plan: WorkflowPlan;
}

/** A registered workflow with what running it takes. */
export interface RunnableWorkflow extends RegisteredWorkflow {
  /** Built once per workflow: its validation is the slow part. */
  readonly machine: StateMachine;
  readonly tasks: ReadonlyMap<string, LocalTaskState>;
  readonly retryIntervalOverrides: Record<string, number | number[]>;
  /** The workflow's TimeoutSeconds, kept on the engine's clock rather than the library's timer. */
  readonly timeoutSeconds?: number;
}

export interface WorkflowOptions {
  readonly region: string;
  readonly serviceInvoker: HandlerRef;
  /** What gated workflows' gate and report states call. */
  readonly coordinator: HandlerRef;
  /** What pooled tasks' `sqs:sendMessage.waitForTaskToken` states call. */
  readonly poolSender: HandlerRef;
  readonly creationDate: Date;
  /** Wait before every retry, in ms, instead of the Retrier's backoff. @default the real backoff */
  readonly retryIntervalMs?: number;
  /** Per-state retry waits in ms. @default none */
  readonly retryIntervalOverrides?: Readonly<Record<string, number | readonly number[]>>;
  /** The current edit of a handler module; executions keep the edits their workflow was registered with. */
  readonly handlerVersion?: (file: string) => number | undefined;
}

/** Prepares a plan's ASL and builds its StateMachine; throws when the ASL is invalid or a Task state cannot run offline. */
export function buildWorkflow(plan: WorkflowPlan, options: WorkflowOptions): RunnableWorkflow {
  const prepared = prepareWorkflow(plan, { region: options.region, serviceInvoker: options.serviceInvoker, coordinator: options.coordinator, poolSender: options.poolSender });
  const { TimeoutSeconds: timeoutSeconds, ...definition } = prepared.definition;
  const machine = new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
  return {
    name: plan.name,
    stateMachineArn: stateMachineArn(plan.name, options.region),
    mode: plan.mode,
    creationDate: options.creationDate,
    plan,
    machine,
    tasks: withHandlerVersions(prepared.tasks, options.handlerVersion),
    retryIntervalOverrides: retryOverridesFor(plan.asl.States, options),
    timeoutSeconds,
  };
}

/** The registered view of a workflow, without what only running it needs. */
export function registeredView({ name, stateMachineArn: arn, mode, creationDate, plan }: RegisteredWorkflow): RegisteredWorkflow {
  return { name, stateMachineArn: arn, mode, creationDate, plan };
}

/** aws-local-stepfunctions' `retryIntervalOverrides`: every state with a Retry, at every depth, when a fixed wait is asked. */
function retryOverridesFor(states: Record<string, AslState>, options: WorkflowOptions): Record<string, number | number[]> {
  const overrides: Record<string, number | number[]> = {};
  const visit = (inner: Record<string, AslState>): void => {
    for (const [name, state] of Object.entries(inner)) {
      if (options.retryIntervalMs !== undefined && 'Retry' in state && state.Retry) overrides[name] = options.retryIntervalMs;
      if (state.Type === 'Parallel') for (const branch of state.Branches) visit(branch.States);
      const processor = state.Type === 'Map' ? (state.ItemProcessor ?? state.Iterator) : undefined;
      if (processor) visit(processor.States);
    }
  };
  visit(states);
  for (const [name, value] of Object.entries(options.retryIntervalOverrides ?? {})) overrides[name] = typeof value === 'number' ? value : [...value];
  return overrides;
}

/** Each task pinned to the current edit of its handler module, so a later edit leaves running executions alone. */
function withHandlerVersions(tasks: ReadonlyMap<string, LocalTaskState>, version: WorkflowOptions['handlerVersion']): ReadonlyMap<string, LocalTaskState> {
  if (!version) return tasks;
  return new Map([...tasks].map(([name, task]) => [name, { ...task, handlerVersion: version(task.handler.file) }]));
}
